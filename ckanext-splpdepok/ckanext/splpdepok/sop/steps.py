"""The 18 steps of SOP 04/811.1 "Interoperabilitas Data" as data, with their default time standards.

Pure module (no CKAN context): the registration workflow (steps 1-10) and the LID catalog / SPLP
connection workflow (steps 11-18) both point at these numbers, so the SOP trace and the
compliance report speak the same language. The activity texts are English msgids; templates and
the CLI translate them.
"""
from __future__ import annotations

from dataclasses import dataclass

# Who acts, in the SOP's columns (our reading of the SOP's table).
APPLICANT = "applicant"
REVIEWER = "reviewer"
IPPD_ADMIN = "ippd_admin"
LID_OPERATOR = "lid_operator"
SPLP = "splp"
SYSTEM = "system"

ACTOR_LABELS: dict[str, str] = {
    APPLICANT: "Applicant",
    REVIEWER: "Reviewer (walidata)",
    IPPD_ADMIN: "IPPD admin",
    LID_OPERATOR: "LID operator",
    SPLP: "SPLP (national)",
    SYSTEM: "Portal (automatic)",
}


@dataclass(frozen=True)
class Step:
    number: int
    activity: str
    actor: str
    required_input: str
    output: str
    default_standard: str  # "<n> min" or "<n> session"; overridable per step in the config
    branch: str = ""


STEPS: dict[int, Step] = {
    s.number: s
    for s in (
        Step(1, "Prepare the registration as Penyelenggara SPL IPPD", APPLICANT,
             "Registration letter: IPPD domain, IPPD name, admin username, name, email, "
             "work unit, phone", "IPPD registration (draft)", "10 min"),
        Step(2, "Submit the registration as Penyelenggara SPL IPPD", APPLICANT,
             "The registration", "Interoperability needs assessment document", "10 min"),
        Step(3, "Check the completeness of the IPPD requirements", REVIEWER,
             "Interoperability needs assessment document", "IPPD requirements verdict",
             "1 session", "complete: step 4; incomplete: back to step 2"),
        Step(4, "Create the Penyelenggara SPL IPPD account and notify it", REVIEWER,
             "Penyelenggara SPL IPPD account", "IPPD registered, access as Penyelenggara",
             "20 min"),
        Step(5, "Register the Admin Penyelenggara SPL IPPD", APPLICANT,
             "Registration letter (SPBE service admin)", "Admin registration", "20 min"),
        Step(6, "Check the completeness of the admin requirements", REVIEWER,
             "Interoperability needs assessment document",
             "Admin approved, admin account and tenant registered", "1 session",
             "complete: step 7"),
        Step(7, "Admin receives the notification and prepares the LID operator registration",
             IPPD_ADMIN, "Registration letter: username, name, email, work unit, phone",
             "Access to SPL as IPPD admin", "15 min"),
        Step(8, "Register as Penyelenggara LID", LID_OPERATOR,
             "Interoperability needs assessment document", "Assessment document", "20 min"),
        Step(9, "Check the completeness of the LID requirements", IPPD_ADMIN,
             "Interoperability needs assessment document", "LID operator approved, account",
             "1 session"),
        Step(10, "Create the LID operator account and notify it", REVIEWER,
             "LID operator account and notification", "Access to SPL as LID operator",
             "25 min"),
        Step(11, "Prepare the connection plan with SPLP (SPL IPPD and LID catalog)",
             LID_OPERATOR, "SPL IPPD and LID catalog", "Connection plan", "10 min"),
        Step(12, "Send the connection information to SPLP", IPPD_ADMIN,
             "Registered SPL IPPD", "Connection information", "15 min"),
        Step(13, "Receive the connection plan", SPLP, "Connection information",
             "Technical guide for the connection", "15 min"),
        Step(14, "Instruct the synchronisation of the IPPD LID catalog with the national one",
             SPLP, "Technical guide", "Synchronisation instruction", "15 min"),
        Step(15, "Synchronise the IPPD LID catalog with the national LID catalog", IPPD_ADMIN,
             "Synchronisation instruction", "Catalog synchronised", "10 min"),
        Step(16, "Check the connection of SPL IPPD Mandiri with SPLP", SPLP,
             "Synchronisation result", "Result of the synchronisation check", "1 session",
             "success: step 17; failure: back to step 15"),
        Step(17, "Notify that SPL IPPD Mandiri is connected to SPLP", SPLP,
             "Check result", "Notification: connected", "10 min"),
        Step(18, "Receive the notification of the connection", IPPD_ADMIN,
             "Notification", "SPL IPPD Mandiri connected to SPLP", "10 min"),
    )
}

