"""State changes of invitations and delegations (issue #12): each one function, atomic,
audited, `by=` the person acting (the invitee's link stands for them where no account does)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccm.core import audit, mail
from ccm.meetings import selectors as meetings
from ccm.participation import rules
from ccm.participation.choices import (
    STATE_CATEGORIES,
    Category,
    DelegationStatus,
    Event,
    Role,
    Source,
)
from ccm.participation.models import (
    Delegate,
    Delegation,
    Invitation,
    InvitationEvent,
    Organisation,
    new_secret,
)
from ccm.participation.selectors import invitees_without_address
from ccm.registry.choices import Region, SubRegion
from ccm.registry.models import State
from ccm.registry.selectors import mission_addresses, state_rows

LINK_SALT = "ccm.participation.invitation"
LETTER_LANGUAGES = ("en", "fr", "es")


class Refused(ValueError):
    """A step the rules refuse; the message is for the person, in their language."""


class ConflictError(Exception):
    """The delegation was changed since it was read: the change is refused, not merged."""


class LinkRefused(Exception):
    """A link that does not open the registration; `reason`: forged, revoked, expired, used."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _log(invitation: Invitation, event: str, detail: str = "") -> None:
    InvitationEvent.objects.create(invitation=invitation, event=event, detail=detail[:300])


# Who is invited -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    category: str
    state: State | None = None
    organisation: Organisation | None = None

    @property
    def name(self) -> str:
        return self.state.name if self.state else self.organisation.name  # type: ignore[union-attr]

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


@dataclass(frozen=True)
class Selection:
    """Whom to invite: categories (States by their standing, organisations by theirs), regions
    and sub-regions (UN M49, as the registry records them) and a chosen list of States (ISO3).

    With a region or a sub-region, the States there are invited, only those of the chosen
    standings when a State category is also chosen; without one, a State category invites every
    State of that standing. The chosen States are invited whatever their standing."""

    categories: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    subregions: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, categories: Any = (), regions: Any = (), subregions: Any = (), states: Any = (),
    ) -> Selection:  # fmt: skip
        return cls(frozenset(categories), frozenset(regions), frozenset(subregions),
                   frozenset(getattr(s, "iso3", s) for s in states))  # fmt: skip

    def check(self) -> None:
        """ValueError for a value that is not a category, region, sub-region or State; Refused
        for an empty selection."""
        unknown = (
            sorted(self.categories - set(Category.values))
            + sorted(self.regions - set(Region.values))
            + sorted(self.subregions - set(SubRegion.values))
        )
        if unknown:
            raise ValueError(f"unknown categories, regions or sub-regions {unknown}")
        if self.states:
            known = set(State.objects.filter(iso3__in=self.states).values_list("iso3", flat=True))
            if self.states - known:
                raise ValueError(f"unknown States {sorted(self.states - known)}")
        if not (self.categories or self.regions or self.subregions or self.states):
            raise Refused(_("Choose a category, a region, a sub-region or States to invite."))

    def summary(self) -> str:
        parts = [", ".join(sorted(v)) for v in (self.categories, self.regions, self.subregions,
                                                 self.states) if v]  # fmt: skip
        return "; ".join(parts)


def invitees(categories: set[str] | Selection, on: date) -> list[Invitee]:
    """Who falls in the selection on a day (a set of categories is a selection by category
    only): States by their standing then (registry), organisations by theirs (active ones)."""
    chosen = categories if isinstance(categories, Selection) else Selection.of(categories)
    standings = chosen.categories & set(STATE_CATEGORIES)
    by_place = bool(chosen.regions or chosen.subregions)
    out: list[Invitee] = []
    for row in state_rows(on, State.objects.order_by("name_en")):
        state = row.state
        category = rules.state_category(row.status)
        if by_place:
            there = state.region in chosen.regions or state.subregion in chosen.subregions
            wanted = there and (not standings or category in standings)
        else:
            wanted = category in standings
        if wanted or state.iso3 in chosen.states:
            out.append(Invitee(category, state=state))
    others = set(chosen.categories) - set(STATE_CATEGORIES)
    for organisation in Organisation.objects.filter(active=True, category__in=others):
        out.append(Invitee(organisation.category, organisation=organisation))
    return out


@dataclass(frozen=True)
class Plan:
    """Who a selection invites to a meeting, before anything is written: the new invitees, those
    already invited (kept as they are), and a fingerprint of the new ones (`seen`) so that the
    invitations made are those the person looked at."""

    new: list[Invitee]
    already: list[Invitee]

    @property
    def seen(self) -> str:
        return rules.digest(_key(i) for i in self.new)


def _key(invitee: Invitee) -> str:
    return f"s:{invitee.state.pk}" if invitee.state else f"o:{invitee.organisation.pk}"  # type: ignore[union-attr]


def plan(meeting: Any, selection: Selection, on: date | None = None) -> Plan:
    """Who `selection` would invite to `meeting` (States by their standing on its first day, or
    `on`); nothing is written. ValueError/Refused for an unknown or empty selection."""
    selection.check()
    day = on or meeting.start_date or timezone.localdate()
    have = {f"s:{s}" for s in meeting.invitations.exclude(state=None)
            .values_list("state_id", flat=True)}  # fmt: skip
    have |= {f"o:{o}" for o in meeting.invitations.exclude(organisation=None)
             .values_list("organisation_id", flat=True)}  # fmt: skip
    found = invitees(selection, day)
    return Plan(new=[i for i in found if _key(i) not in have],
                already=[i for i in found if _key(i) in have])  # fmt: skip


def _language(invitee: Invitee) -> str:
    found = invitee.state.language if invitee.state else invitee.organisation.language  # type: ignore[union-attr]
    return found if found in LETTER_LANGUAGES else "en"


def _expiry(meeting: Any) -> date:
    """A link is valid until registration closes, or a year ahead for an undated meeting."""
    return closes(meeting) or timezone.localdate() + timedelta(days=365)


@transaction.atomic
def invite(
    meeting: Any, *, categories: Any = (), by: Any, on: date | None = None,
    regions: Any = (), subregions: Any = (), states: Any = (), seen: str | None = None,
) -> int:  # fmt: skip
    """Invite everyone in the selection (categories, regions, sub-regions, chosen States; see
    Selection), States by their standing on the meeting's first day, or `on`; those already
    invited are kept as they are. With `seen` (the preview's fingerprint), a selection that now
    gives other invitees is refused (ConflictError): nothing is written. Returns how many were
    added."""
    selection = Selection.of(categories, regions, subregions, states)
    selection.check()
    type(meeting).objects.select_for_update().get(pk=meeting.pk)  # one invitation run at a time
    planned = plan(meeting, selection, on)
    if seen is not None and seen != planned.seen:
        raise ConflictError("the invitees changed since the preview")
    expiry = _expiry(meeting)
    made = [
        Invitation(meeting=meeting, state=i.state, organisation=i.organisation,
                   category=i.category, language=_language(i), expires_on=expiry, created_by=by)
        for i in planned.new
    ]  # fmt: skip
    Invitation.objects.bulk_create(made)
    for invitation in meeting.invitations.filter(events=None):
        _log(invitation, Event.CREATED)
    audit.record(
        "invitations.created",
        by=by,
        obj=meeting,
        summary=f"{meeting.code}: {len(made)} invited ({selection.summary()})",
    )
    return len(made)


@transaction.atomic
def add_invitee(
    meeting: Any, *, state: State | None = None, organisation: Organisation | None = None,
    by: Any,
) -> Invitation:  # fmt: skip
    """Invite one more State or organisation by hand (its category from its standing)."""
    if (state is None) == (organisation is None):
        raise ValueError("a State or an organisation")
    type(meeting).objects.select_for_update().get(pk=meeting.pk)  # a double submit waits
    if state is not None:
        day = meeting.start_date or timezone.localdate()
        row = state_rows(day, State.objects.filter(pk=state.pk))[0]
        invitee = Invitee(rules.state_category(row.status), state=state)
        exists = meeting.invitations.filter(state=state).exists()
    else:
        invitee = Invitee(organisation.category, organisation=organisation)  # type: ignore[union-attr]
        exists = meeting.invitations.filter(organisation=organisation).exists()
    if exists:
        raise Refused(_("%(name)s is already invited.") % {"name": invitee.name})
    invitation = Invitation.objects.create(
        meeting=meeting, state=state, organisation=organisation, category=invitee.category,
        language=_language(invitee), expires_on=_expiry(meeting), created_by=by,
    )  # fmt: skip
    _log(invitation, Event.CREATED, "added by hand")
    audit.record("invitations.added", by=by, obj=invitation, summary=str(invitation))
    return invitation


@transaction.atomic
def revoke(invitation: Invitation, *, by: Any) -> Invitation:
    """The invitation is withdrawn: its link stops working at once."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.secret = ""  # no link made before matches
        locked.save(update_fields=["revoked_at", "secret"])
        _log(locked, Event.REVOKED)
        audit.record("invitations.revoked", by=by, obj=locked, summary=str(locked))
    return locked


# The personal link --------------------------------------------------------------------------


def link_token(invitation: Invitation) -> str:
    """The invitation's link: signed, and bound to its current secret (a new link or a
    revocation replaces the secret, so older links stop working)."""
    return signing.dumps({"i": invitation.pk, "s": invitation.secret}, salt=LINK_SALT)


def check_link(token: str) -> Invitation:
    """The invitation a link stands for, or LinkRefused: forged (the signature or the secret
    does not match), revoked, expired or already used."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        pk, secret = int(data["i"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("forged") from None
    invitation = (
        Invitation.objects.select_related("meeting", "state", "organisation").filter(pk=pk).first()
    )
    if invitation is None:
        raise LinkRefused("forged")
    if invitation.revoked_at is not None:
        raise LinkRefused("revoked", invitation)
    if not secret or not hmac.compare_digest(secret, invitation.secret):
        raise LinkRefused("forged", invitation)  # an older link, replaced by a newer one
    reason = rules.link_refusal(
        revoked=False,
        expires_on=invitation.expires_on,
        today=timezone.localdate(),
        used=invitation.link_used_at is not None,
    )
    if reason:
        raise LinkRefused(reason, invitation)
    return invitation


def open_link(token: str) -> Invitation:
    """The link is used once: it opens the registration in this browser (the view keeps the
    invitation and its secret in the session); a second use is refused, and every refusal is
    logged on the invitation it names."""
    try:
        found = check_link(token)
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=found.pk)
            if locked.link_used_at is not None or locked.secret != found.secret:
                raise LinkRefused("used", locked)  # another browser opened it meanwhile
            locked.link_used_at = timezone.now()
            locked.save(update_fields=["link_used_at"])
            _log(locked, Event.OPENED)
    except LinkRefused as refused:
        if refused.invitation is not None:  # outside the transaction: the log stays
            _log(refused.invitation, Event.REFUSED, refused.reason)
        raise
    return found


def secret_of(token: str) -> tuple[int, str] | None:
    """The invitation id and secret a genuinely signed link carries (used, expired or not)."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        return int(data["i"]), str(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def addresses(invitation: Invitation) -> list[str]:
    """Where an invitation goes: a State's national focal points and permanent mission (active
    contacts with an address), an organisation's address."""
    if invitation.organisation_id:
        return [invitation.organisation.email]  # type: ignore[union-attr]
    return mission_addresses(invitation.state_id)  # type: ignore[arg-type]


def session_value(invitation: Invitation) -> dict[str, Any]:
    """What the registration's session holds: the invitation and the secret it was opened with
    (a revocation or a new link ends that session too)."""
    return {"i": invitation.pk, "s": invitation.secret}


# Sending, in batches ----------------------------------------------------------------------


@dataclass
class Batch:
    sent: int = 0
    without_address: int = 0
    remaining: int = 0


def send_batch(meeting: Any, *, base_url: str, by: Any, size: int = 20) -> Batch:
    """Send the next `size` invitations not yet sent: each its letter (PDF, in its language)
    and its personal link, queued in the outbox in the same transaction that marks it sent, so
    sending twice never sends twice; delivered after commit. An invitee with no address on
    record is logged and left for staff (sent once an address exists)."""
    from ccm.participation import letters

    done = Batch()
    waiting = Invitation.objects.filter(meeting=meeting, sent_at=None, revoked_at=None)
    # The one rule of "no address on record" (issue #26): the staff list of States without
    # an address shows the same invitees.
    unreachable = invitees_without_address(meeting)
    done.without_address = unreachable.count()
    InvitationEvent.objects.bulk_create([
        InvitationEvent(invitation=i, event=Event.NO_ADDRESS)
        for i in unreachable.exclude(events__event=Event.NO_ADDRESS)
    ])  # fmt: skip
    candidates = list(
        waiting.exclude(pk__in=unreachable.values("pk"))
        .select_related("meeting", "state", "organisation")
        .order_by("category", "pk")[:size]
    )
    # The letters are rendered before any row is locked: no write lock is held while WeasyPrint
    # works (SQLite has one writer), and the transaction below stays short.
    rendered = {}
    for invitation in candidates:
        link = base_url.rstrip("/") + "/register/" + link_token(invitation) + "/"
        rendered[invitation.pk] = (invitation.secret, *letters.invitation_email(invitation, link))
    with transaction.atomic():
        claimed = (
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=list(rendered), sent_at=None, revoked_at=None)
            .select_related("state", "organisation")
        )
        for invitation in claimed:
            secret, subject, body, pdf = rendered[invitation.pk]
            if secret != invitation.secret:
                continue  # a new link was made meanwhile: the next batch sends it
            to = addresses(invitation)
            mail.queue_email(subject, body, to, purpose="invitation",
                             attachments=[(f"{meeting.code}-invitation.pdf", pdf,
                                           "application/pdf")])  # fmt: skip
            invitation.sent_at = timezone.now()
            invitation.sent_to = to
            invitation.save(update_fields=["sent_at", "sent_to"])
            _log(invitation, Event.SENT, ", ".join(to))
            done.sent += 1
        if done.sent:
            audit.record("invitations.sent", by=by, obj=meeting,
                         summary=f"{meeting.code}: {done.sent} invitations sent")  # fmt: skip
    done.remaining = waiting.count() - done.without_address
    mail.deliver_pending()
    return done


def reissue_link(token: str, *, base_url: str, by: Any = None) -> bool:
    """A new link for an invitee whose link was used or has expired (the token it still holds):
    a new secret (older links stop working), sent to the invitation's current addresses only,
    at most one every ten minutes, and not once registration has closed. False when none is
    sent."""
    from ccm.participation import letters

    carried = secret_of(token)
    if carried is None:
        return False
    pk, secret = carried
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer joins
            .select_related("meeting", "state", "organisation")
            .filter(pk=pk).first()
        )  # fmt: skip
        if locked is None or locked.revoked_at is not None or not locked.secret:
            return False
        if not hmac.compare_digest(secret, locked.secret):
            return False  # a newer link exists (a double click sent it): this one is spent
        if not rules.may_register(closes(locked.meeting), timezone.localdate()):
            return False
        recent = locked.events.filter(
            event=Event.REISSUED, at__gte=timezone.now() - timedelta(minutes=10)
        ).exists()
        to = addresses(locked)
        if recent or not to:
            return False
        locked.secret = new_secret()
        locked.link_used_at = None
        locked.expires_on = max(locked.expires_on, _expiry(locked.meeting))
        locked.save(update_fields=["secret", "link_used_at", "expires_on"])
        link = base_url.rstrip("/") + "/register/" + link_token(locked) + "/"
        subject, body = letters.new_link_email(locked, link)
        mail.queue_email(subject, body, to, purpose="invitation-link")
        _log(locked, Event.REISSUED, ", ".join(to))
        audit.record("invitations.reissued", by=by, actor_label="" if by else "the invitee",
                     obj=locked, summary=str(locked))  # fmt: skip
    mail.deliver_pending()
    return True


# The delegation ---------------------------------------------------------------------------


def closes(meeting: Any) -> date | None:
    return rules.registration_closes(meetings.registration_deadline(meeting), meeting.start_date)


@transaction.atomic
def save_delegation(
    invitation: Invitation, *, members: list[dict[str, Any]], note_verbale: Any, revision: int,
    by: Any, staff: bool = False, source: str = Source.LINK, received_on: date | None = None,
) -> Delegation:  # fmt: skip
    """The delegation as a unit, submitted to the ISU: its members (one head of delegation,
    then alternates and advisers) and its note verbale or credentials (PDF, Word or a scanned
    image). Until registration closes the invitee changes it; after, only staff. A change from
    an older copy is refused (ConflictError); a change to a confirmed delegation goes back to
    the ISU. `source` says where this version came from; `received_on`, the day the ISU
    received the note verbale it uploads (issue #25)."""
    from django.core.validators import FileExtensionValidator

    from ccm.core.files import SCAN_TYPES, validate_document_file

    locked = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    if locked.revoked_at is not None:
        raise Refused(_("This invitation was withdrawn."))
    if not staff and not rules.may_register(closes(locked.meeting), timezone.localdate()):
        raise Refused(_("Registration has closed: write to the ISU to change the delegation."))
    heads = [m for m in members if m["role"] == Role.HEAD]
    if len(heads) != 1:
        raise Refused(_("A delegation has one head of delegation."))
    delegation = Delegation.objects.filter(invitation=locked).first()
    if delegation is None:
        if revision != 0:
            raise ConflictError("the delegation was removed meanwhile")
        delegation = Delegation(invitation=locked)
    elif delegation.revision != revision:
        raise ConflictError("the delegation was changed meanwhile")
    else:
        delegation.revision += 1
    if note_verbale:
        FileExtensionValidator(SCAN_TYPES)(note_verbale)
        validate_document_file(note_verbale)
        extension = note_verbale.name.rsplit(".", 1)[-1].lower()
        old = delegation.note_verbale.name if delegation.note_verbale else ""
        delegation.note_verbale.save(f"{locked.meeting.code}-{locked.pk}-note-verbale.{extension}",
                                     note_verbale, save=False)  # fmt: skip
        delegation.note_received_on = received_on  # None: the invitee's own upload
        storage, new = delegation.note_verbale.storage, delegation.note_verbale.name
        if old and old != new:
            transaction.on_commit(lambda: storage.delete(old))
    delegation.source = source
    delegation.status = DelegationStatus.SUBMITTED
    delegation.submitted_at = timezone.now()
    delegation.confirmed_at = None
    delegation.save()
    order = {Role.HEAD: 0, Role.ALTERNATE: 1, Role.ADVISER: 2}
    ranked = sorted(members, key=lambda m: order[m["role"]])
    before = list(delegation.members.all()) if delegation.pk else []
    delegation.members.all().delete()
    Delegate.objects.bulk_create([
        Delegate(delegation=delegation, position=n, role=m["role"], name=m["name"].strip(),
                 title=m.get("title", "").strip(), gender=m.get("gender") or "unsaid",
                 email=m.get("email", ""), arrives_on=m.get("arrives_on"),
                 leaves_on=m.get("leaves_on"), badge=_keep_badge(before, m))
        for n, m in enumerate(ranked)
    ])  # fmt: skip
    origin = f"; note verbale received on {received_on.isoformat()}" if received_on else ""
    audit.record("delegation.submitted", by=by, actor_label="" if by else "the invitee's link",
                 obj=delegation,
                 summary=f"{locked}: {len(ranked)} members ({source}{origin})")  # fmt: skip
    return delegation


def enter_note_verbale(
    invitation: Invitation, *, members: list[dict[str, Any]], note_verbale: Any,
    received_on: date, revision: int, by: Any,
) -> Delegation:  # fmt: skip
    """The ISU enters (or corrects) a delegation from the note verbale the invitee sent by
    e-mail (issue #25): the note is required and stored with the delegation, with the day it
    was received; everything else is the invitee's own registration (`save_delegation`: one
    head of delegation, the file checked by content and size, a change from an older copy
    refused, the same audit), `by=` the staff member, at any time (as staff may after
    registration closes)."""
    if not note_verbale:
        raise Refused(_("Upload the note verbale the delegation was received in."))
    if received_on > timezone.localdate():
        raise Refused(_("The note verbale cannot have been received after today."))
    return save_delegation(
        invitation, members=members, note_verbale=note_verbale, revision=revision, by=by,
        staff=True, source=Source.NOTE_VERBALE, received_on=received_on,
    )  # fmt: skip


def invitation_of_state(meeting: Any, iso3: str) -> Invitation:
    """The meeting's invitation to a State (ISO3), or Refused: a delegation is entered only
    for a State invited to the meeting (invite it first)."""
    found = (
        Invitation.objects.select_related("meeting", "state")
        .filter(meeting=meeting, state_id=iso3).first()
    )  # fmt: skip
    if found is None:
        state = State.objects.filter(iso3=iso3).first()
        raise Refused(_("%(name)s is not invited to this meeting: invite it first.")
                      % {"name": state.name if state else iso3})  # fmt: skip
    if found.revoked_at is not None:
        raise Refused(_("This invitation was withdrawn."))
    return found


def _keep_badge(before: list[Delegate], member: dict[str, Any]) -> str:
    """A member keeps their badge (its QR code) across changes: matched by e-mail, else by
    name; each old badge is handed out once (two members sharing a mission's address get two)."""
    email, name = (member.get("email") or "").lower(), member["name"].strip()
    for match in (lambda d: email and d.email.lower() == email, lambda d: d.name == name):
        for old in before:
            if match(old):
                before.remove(old)
                return old.badge
    return new_secret()


@transaction.atomic
def review_delegation(
    delegation: Delegation, *, confirm: bool, query: str = "", revision: int, by: Any
) -> Delegation:
    """Staff confirm a delegation, or query it (the question is shown to the invitee)."""
    locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if locked.revision != revision:
        raise ConflictError("the delegation was changed meanwhile")
    if not confirm and not query.strip():
        raise Refused(_("Say what the question is."))
    locked.status = DelegationStatus.CONFIRMED if confirm else DelegationStatus.QUERIED
    locked.query = "" if confirm else query.strip()
    locked.confirmed_at = timezone.now() if confirm else None
    locked.revision += 1
    locked.save(update_fields=["status", "query", "confirmed_at", "revision"])
    audit.record("delegation.confirmed" if confirm else "delegation.queried", by=by, obj=locked,
                 summary=str(locked.invitation))  # fmt: skip
    return locked
