"""The connection-plan state machine: one transition table mirroring SOP steps 11-18.

Read it as the SOP: the LID operator (or the IPPD) prepares the connection plan (11), the IPPD
admin sends the connection information to SPLP (12), SPLP answers with the technical guide (13)
and instructs the synchronisation (14); the IPPD synchronises its LID catalog (15); SPLP checks
the connection (16): failure goes back to step 15, success notifies (17) and the IPPD receives
the notification (18). SPLP's part is recorded in the portal (by the walidata or the IPPD admin,
with the guide as evidence) and carried out through the SPLP adapter where an API exists.
"""
from __future__ import annotations

from ckanext.splpdepok.sop.machine import NEW, Machine, Transition
from ckanext.splpdepok.sop.steps import IPPD_ADMIN, LID_OPERATOR, REVIEWER, SPLP, SYSTEM

SUBJECT = "lid_plan"
DRAFT, SENT, GUIDE_RECEIVED, SYNC_INSTRUCTED, SYNCED, CHECK_FAILED, CONNECTED = (
    "draft", "sent", "guide_received", "sync_instructed", "synced", "check_failed",
    "connected")
STATES = (DRAFT, SENT, GUIDE_RECEIVED, SYNC_INSTRUCTED, SYNCED, CHECK_FAILED, CONNECTED)
# Editing the draft plan (``update``) neither starts nor stops an SOP clock
# (``restarts_clock=False``); a passed check runs its ``follow_ups`` (steps 17, 18) in order.
# Plan steps a user triggers through ``splpdepok_lid_plan_advance``.
ADVANCE = ("send", "receive_guide", "instruct_sync")
# The manual path, for a city without REST access to the SPLP publisher: the IPPD enters the
# publication package in the SPLP publisher portal by hand (step 15) and the connection is checked
# by hand (step 16, its success followed by 17-18 as for the automatic check); both need evidence.
PUBLISH_MANUAL = "publish_manual"
CHECK_MANUAL = {"passed": "check_manual_pass", "failed": "check_manual_fail"}
SYNC_FROM = (SYNC_INSTRUCTED, SYNCED, CHECK_FAILED, CONNECTED)
# Who may carry a step out (``performers``, for the auth functions): the plan is prepared by the
# IPPD's LID operators, its admin or the walidata (REVIEWER); steps 12-16 (SPLP's part recorded
# in the portal, the synchronisation and the check) by the IPPD admin or the walidata.
PLANNERS = (LID_OPERATOR, IPPD_ADMIN, REVIEWER)
MANAGERS = (IPPD_ADMIN, REVIEWER)

TRANSITIONS = (
    Transition("create", NEW, DRAFT, 11, LID_OPERATOR, label="Connection plan prepared",
               performers=PLANNERS),
    Transition("update", DRAFT, DRAFT, 11, LID_OPERATOR, label="Connection plan edited",
               performers=PLANNERS, restarts_clock=False),
    Transition("send", DRAFT, SENT, 12, IPPD_ADMIN,
               label="Connection information sent to SPLP", performers=MANAGERS),
    Transition("receive_guide", SENT, GUIDE_RECEIVED, 13, SPLP,
               label="Technical guide received from SPLP", performers=MANAGERS),
    Transition("instruct_sync", GUIDE_RECEIVED, SYNC_INSTRUCTED, 14, SPLP,
               label="Synchronisation instructed", performers=MANAGERS),
    *(Transition("sync", source, SYNCED, 15, IPPD_ADMIN,
                 label="LID catalog synchronised with the national one", performers=MANAGERS)
      for source in SYNC_FROM),
    *(Transition(PUBLISH_MANUAL, source, SYNCED, 15, IPPD_ADMIN,
                 label="LID catalog published manually in the SPLP publisher portal",
                 performers=MANAGERS)
      for source in SYNC_FROM),
    Transition("check_manual_fail", SYNCED, CHECK_FAILED, 16, SPLP, note_required=True,
               label="Connection checked manually: failed, back to synchronisation",
               performers=MANAGERS),
    Transition("check_manual_pass", SYNCED, CONNECTED, 16, SPLP,
               label="Connection checked manually: passed", performers=MANAGERS,
               follow_ups=("check_pass:notify", "check_pass:received")),
    Transition("check_fail", SYNCED, CHECK_FAILED, 16, SPLP, note_required=True,
               label="Connection check failed: back to synchronisation", performers=MANAGERS),
    Transition("check_pass", SYNCED, CONNECTED, 16, SPLP, label="Connection check passed",
               performers=MANAGERS,
               follow_ups=("check_pass:notify", "check_pass:received")),
    Transition("check_pass:notify", CONNECTED, CONNECTED, 17, SPLP, automatic=True,
               label="Connected: IPPD admin and LID operators notified"),
    Transition("check_pass:received", CONNECTED, CONNECTED, 18, SYSTEM, automatic=True,
               label="Notification of the connection delivered to the IPPD"),
)

MACHINE = Machine(SUBJECT, STATES, TRANSITIONS)
