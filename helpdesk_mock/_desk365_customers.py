"""Desk365 mock: contacts, companies and contracts, the helpdesk's customers.

A contact is found by ``primary_email`` (case-insensitive), a company by its name
(``name`` to read, ``company_name`` to update), a contract by ``contract_name``
and/or ``reference_number``. Creating a contact without ``primary_email``, a
company without a name, or a contact, company or contract with an identifier
that already exists is refused (403), as is renaming a company onto an existing
name; a renamed company is renamed on its contacts and tickets too. Creating or
updating a contract answers Desk365's summary of it (``block_hours`` or
``block_tickets`` by contract type). The plugin refuses every contract request
unless the ``contracts`` feature is on (``desk365.py``), so these handlers never
see one otherwise.
"""

from __future__ import annotations

from typing import Any

from ._desk365_base import Desk365State, _not_found, _ok, _page, _refused, _same, handles
from .plugin import MockRequest, MockResponse

__all__: list[str] = []

# -- contacts and companies ----------------------------------------------------------------


def _contact(state: Desk365State, email: str) -> dict[str, Any]:
    found = state.contacts.get(email.strip().lower())
    if found is None:
        raise _not_found(f"no contact with primary_email {email!r}")
    return found


@handles("listContacts")
def list_contacts(request: MockRequest, state: Desk365State) -> MockResponse:
    rows = list(state.contacts.values())
    company = request.arg("company")
    if company is not None:
        rows = [c for c in rows if c["company_name"] is not None and _same(c["company_name"], company)]
    key = {"1": "name", "2": "title", "3": "company_name", "4": "primary_email"}[request.arg("order_by", "1")]
    rows.sort(
        key=lambda c: ((c[key] or "").lower(), c["primary_email"].lower()), reverse=request.arg("order_type") == "desc"
    )
    page = _page(rows, request)
    return _ok({"count": len(page), "content": page})


@handles("getContact")
def get_contact(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_contact(state, request.params["primary_email"]))


def _new_contact(state: Desk365State, body: dict[str, Any]) -> dict[str, Any]:
    email = (body.get("primary_email") or "").strip()
    if not email:
        raise _refused("primary_email is required to create a contact")
    if email.lower() in state.contacts:
        raise _refused(f"a contact with primary_email {email!r} already exists")
    now = state.now()
    contact = {"name": body.get("name") or email, "primary_email": email, "is_deleted": 0,
               "secondary_emails": body.get("secondary_emails"), "title": body.get("title"),
               "mobile": body.get("mobile"), "phone": body.get("phone"), "company_name": body.get("company_name"),
               "created_on": now, "updated_on": now}  # fmt: skip
    state.contacts[email.lower()] = contact
    return contact


@handles("createContact")
def create_contact(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_new_contact(state, request.json or {}))


@handles("createContactWithAttachment")
def create_contact_with_attachment(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_new_contact(state, request.params["contact_object"]))


@handles("updateContact")
def update_contact(request: MockRequest, state: Desk365State) -> MockResponse:
    contact = _contact(state, request.params["primary_email"])
    contact.update(request.json or {})
    contact["updated_on"] = state.now()
    return _ok(contact)


def _company(state: Desk365State, name: str) -> dict[str, Any]:
    found = state.companies.get(name.strip().lower())
    if found is None:
        raise _not_found(f"no company named {name!r}")
    return found


def _company_item(company: dict[str, Any]) -> dict[str, Any]:
    domains = company["domains"]
    return {**company, "domains": [d.strip() for d in domains.split(",") if d.strip()] if domains else []}


@handles("listCompanies")
def list_companies(request: MockRequest, state: Desk365State) -> MockResponse:
    page = [_company_item(c) for c in _page(list(state.companies.values()), request)]
    return _ok({"count": len(page), "content": page})


@handles("getCompany")
def get_company(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_company(state, request.params["name"]))


def _new_company(state: Desk365State, body: dict[str, Any]) -> dict[str, Any]:
    name = (body.get("name") or "").strip()
    if not name:
        raise _refused("name is required to create a company")
    if name.lower() in state.companies:
        raise _refused(f"a company named {name!r} already exists")
    now = state.now()
    company = {k: body.get(k) for k in ("description", "phone", "address", "city", "state", "country", "zipcode")}
    company.update(name=name, sla=body.get("sla") or "Default SLA Policy", domains=body.get("domains"),
                   created_on=now, updated_on=now)  # fmt: skip
    state.companies[name.lower()] = company
    return company


@handles("createCompany")
def create_company(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_new_company(state, request.json or {}))


@handles("createCompanyWithAttachment")
def create_company_with_attachment(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_new_company(state, request.params["company_object"]))


@handles("updateCompany")
def update_company(request: MockRequest, state: Desk365State) -> MockResponse:
    company = _company(state, request.params["company_name"])
    body = dict(request.json or {})
    old = company["name"]
    new = (body.pop("name", None) or old).strip() or old
    if new.lower() != old.lower() and new.lower() in state.companies:
        raise _refused(f"a company named {new!r} already exists")
    if body.get("sla", "").lower() == "helpdesk default":
        body["sla"] = "Default SLA Policy"
    company.update(body, name=new, updated_on=state.now())
    if new != old:
        del state.companies[old.lower()]
        state.companies[new.lower()] = company
        for record in list(state.contacts.values()) + list(state.tickets.values()):
            if record["company_name"] == old:
                record["company_name"] = new
    return _ok(company)


# -- contracts ---------------------------------------------------------------------------


def _today(state: Desk365State) -> str:
    return state.now()[:10]


@handles("listContracts")
def list_contracts(request: MockRequest, state: Desk365State) -> MockResponse:
    today = _today(state)
    rows = []
    for c in state.contracts:
        if request.arg("company") is not None and not _same(c["company"], request.arg("company")):
            continue
        if request.arg("contract_category") is not None and not _same(c["category"], request.arg("contract_category")):
            continue
        if request.arg("include_inactive_contracts", "1") == "0" and not c["is_active"]:
            continue
        if request.arg("include_expired_contracts", "1") == "0" and (c["end_date"] or "9999") < today:
            continue
        if request.arg("include_upcoming_contracts", "1") == "0" and (c["start_date"] or "") > today:
            continue
        rows.append(c)
    page = _page(rows, request)
    return _ok({"count": len(page), "contracts": page})


def _contract(state: Desk365State, request: MockRequest) -> dict[str, Any]:
    name, ref = request.arg("contract_name"), request.arg("reference_number")
    if name is None and ref is None:
        raise _not_found("name the contract with contract_name or reference_number")
    for c in state.contracts:
        if (name is None or _same(c["name"], name)) and (ref is None or _same(c["reference_number"], ref)):
            return c
    raise _not_found(f"no contract with contract_name {name!r} and reference_number {ref!r}")


def _summary(c: dict[str, Any]) -> dict[str, Any]:
    hours = c["contract_type"] == 2
    return {
        "name": c["name"], "company": c["company"], "start_date": c["start_date"], "end_date": c["end_date"],
        "reference_number": c["reference_number"], "setup_fees": c["setup_fees"], "sla": c["sla"],
        "contract_category": c["category"], "is_active": c["is_active"], "bill_cycle": c["bill_cycle"],
        "after_hours_included": c["after_hours_included"], "contract_type": c["contract_type"],
        "block_hours": {"contract_hours": c["contract_hours"], "min_increment": c["min_increment"],
                        "rollover_unused_hours": None if c["rollover_unused_hours"] is None
                        else bool(c["rollover_unused_hours"]),
                        "rollover_type": c["rollover_type"], "rollover_value": c["rollover_value"]} if hours else None,
        "block_tickets": {"contract_tickets": c["contract_tickets"]} if c["contract_type"] == 3 else None,
    }  # fmt: skip


@handles("getContract")
def get_contract(request: MockRequest, state: Desk365State) -> MockResponse:
    return _ok(_contract(state, request))


@handles("createContract")
def create_contract(request: MockRequest, state: Desk365State) -> MockResponse:
    body = request.json or {}
    name = body.get("name")
    if name and any(_same(c["name"], name) for c in state.contracts):
        raise _refused(f"a contract named {name!r} already exists")
    hours, tickets = body.get("block_hours") or {}, body.get("block_tickets") or {}
    kind = body.get("contract_type", 3 if tickets and not hours else 2)
    rollover = hours.get("rollover_unused_hours")
    contract = {
        "name": name, "start_date": body.get("start_date"), "end_date": body.get("end_date"),
        "is_active": body.get("is_active", True), "setup_fees": body.get("setup_fees", 0),
        "reference_number": body.get("reference_number"), "bill_cycle": body.get("bill_cycle", 1),
        "contract_type": kind, "after_hours_included": body.get("after_hours_included", False),
        "sla": body.get("sla") or "Default SLA Policy", "company": body.get("company"),
        "category": body.get("contract_category"), "is_default": False,
        "contract_hours": hours.get("contract_hours"), "min_increment": hours.get("min_increment"),
        "rollover_unused_hours": None if rollover is None else int(rollover),
        "rollover_type": hours.get("rollover_type"),
        "rollover_value": hours.get("rollover_value"), "contract_used_mins": 0,
        "total_available_mins": hours["contract_hours"] * 60 if hours.get("contract_hours") is not None else None,
        "total_rollover_mins": 0, "extra_used_mins": 0, "contract_tickets": tickets.get("contract_tickets"),
        "rollover_details": [], "usage_hours": [],
    }  # fmt: skip
    state.contracts.append(contract)
    return _ok(_summary(contract))


@handles("updateContract")
def update_contract(request: MockRequest, state: Desk365State) -> MockResponse:
    c = _contract(state, request)
    for key, value in (request.json or {}).items():
        if key == "contract_category":
            c["category"] = None if value.replace(" ", "") == "--" else value
        elif key == "block_hours":
            for k, v in value.items():
                c[k] = int(v) if k == "rollover_unused_hours" else v
        else:
            c[key] = value
    return _ok(_summary(c))
