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
from ckanext.splpdepok.sop.steps import IPPD_ADMIN, LID_OPERATOR, SPLP, SYSTEM

SUBJECT = "lid_plan"
DRAFT, SENT, GUIDE_RECEIVED, SYNC_INSTRUCTED, SYNCED, CHECK_FAILED, CONNECTED = (
    "draft", "sent", "guide_received", "sync_instructed", "synced", "check_failed",
    "connected")
STATES = (DRAFT, SENT, GUIDE_RECEIVED, SYNC_INSTRUCTED, SYNCED, CHECK_FAILED, CONNECTED)
# Transitions that neither start nor stop an SOP clock (editing the draft plan).
CLOCK_NEUTRAL = ("update",)
# Plan steps a user triggers through ``splpdepok_lid_plan_advance``.
ADVANCE = ("send", "receive_guide", "instruct_sync")
SYNC_FROM = (SYNC_INSTRUCTED, SYNCED, CHECK_FAILED, CONNECTED)

TRANSITIONS = (
    Transition("create", NEW, DRAFT, 11, LID_OPERATOR, label="Connection plan prepared"),
    Transition("update", DRAFT, DRAFT, 11, LID_OPERATOR, label="Connection plan edited"),
    Transition("send", DRAFT, SENT, 12, IPPD_ADMIN,
               label="Connection information sent to SPLP"),
    Transition("receive_guide", SENT, GUIDE_RECEIVED, 13, SPLP,
               label="Technical guide received from SPLP"),
    Transition("instruct_sync", GUIDE_RECEIVED, SYNC_INSTRUCTED, 14, SPLP,
               label="Synchronisation instructed"),
    *(Transition("sync", source, SYNCED, 15, IPPD_ADMIN,
                 label="LID catalog synchronised with the national one")
      for source in SYNC_FROM),
    Transition("check_fail", SYNCED, CHECK_FAILED, 16, SPLP, note_required=True,
               label="Connection check failed: back to synchronisation"),
    Transition("check_pass", SYNCED, CONNECTED, 16, SPLP, label="Connection check passed"),
    Transition("check_pass:notify", CONNECTED, CONNECTED, 17, SPLP, automatic=True,
               label="Connected: IPPD admin and LID operators notified"),
    Transition("check_pass:received", CONNECTED, CONNECTED, 18, SYSTEM, automatic=True,
               label="Notification of the connection delivered to the IPPD"),
)

MACHINE = Machine(SUBJECT, STATES, TRANSITIONS)
