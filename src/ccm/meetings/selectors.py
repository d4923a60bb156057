"""Reads of meetings: public (meetings, Presidencies, facts and documents are public)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ccm.accounts import roles
from ccm.core.letters import Letterhead
from ccm.meetings import rules
from ccm.meetings.choices import ItemStatus, MeetingKind
from ccm.meetings.models import (
    Coordination,
    Deadline,
    DocumentFile,
    Letter,
    Meeting,
    Presidency,
    Succession,
    Volunteer,
    WorkPlanItem,
)
from ccm.registry.models import State


def meetings() -> QuerySet[Meeting]:
    """Public meetings: every kind but the Coordination Committee's (staff and Presidency)."""
    return Meeting.objects.exclude(kind=MeetingKind.COORDINATION).select_related(
        "host", "presidency__state", "held_under__state", "held_under__meeting"
    )


def meeting(code: str) -> Meeting:
    found = (
        meetings()
        .prefetch_related("facts", "documents__files", "deadlines")
        .filter(code__iexact=code)
        .first()
    )
    if found is None:
        raise Http404("no such meeting")
    return found


def calendar(today: date) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first; undated ones last) and past ones (latest first);
    one query."""
    upcoming: list[Meeting] = []
    past: list[Meeting] = []
    for m in meetings().order_by("start_date", "code"):
        (past if m.status(today) == "held" else upcoming).append(m)
    upcoming.sort(key=lambda m: (m.start_date is None, m.start_date or date.max, m.code))
    past.sort(key=lambda m: (m.start_date or date.min, m.code), reverse=True)
    return upcoming, past


def document_file(code: str, pk: int, language: str) -> DocumentFile:
    """One language's file of a meeting's document (public, as the UN publishes them)."""
    found = (
        DocumentFile.objects.select_related("document")
        .filter(document__meeting__code__iexact=code, document_id=pk, language=language)
        .first()
    )
    if found is None:
        raise Http404("no such document file")
    return found


# The ISU's pages of meetings and the logo page (issue #26) --------------------------------


def meeting_for_staff(user: object, code: str) -> Meeting:
    """A meeting the ISU records and edits (every kind but the Committee's, which its
    Presidency's pages record): ISU staff only (PermissionDenied), 404 for an unknown code."""
    if not roles.is_isu_staff(user):  # type: ignore[arg-type]
        raise PermissionDenied
    return meeting(code)


def staff_meetings() -> list[Meeting]:
    """Every meeting the ISU records, latest first, with its Presidency (one query) and the
    number of its documents."""
    from django.db.models import Count

    return list(
        meetings().annotate(document_count=Count("documents")).order_by("-start_date", "code")
    )


def may_see_logo_page(user: object, meeting: Meeting) -> bool:
    """The logo page: ISU staff, and a Presidency account for its own Presidency's meetings
    (the Meeting it presides over or one it convenes), held or not; changing the national logo
    is may_change's rule."""
    if roles.is_isu_staff(user):  # type: ignore[arg-type]
        return True
    owner = presidency_of(meeting)
    return owner is not None and owner.state_id in roles.presiding_state_ids(user)  # type: ignore[arg-type]


def logo_meeting_for_user(user: object, code: str, *, write: bool = False) -> Meeting:
    """A meeting's logo page (may_see_logo_page; to upload, may_change): PermissionDenied
    otherwise, 404 for an unknown code."""
    if not roles.reads_all(user):  # type: ignore[arg-type]
        raise PermissionDenied
    found = meeting(code)
    if not may_see_logo_page(user, found):
        raise PermissionDenied
    if write and (presidency_of(found) is None or not may_change(user, found)):
        raise PermissionDenied
    return found


def work_plan(meeting: Meeting) -> list[WorkPlanItem]:
    """The work plan up to a meeting, soonest due first (one query)."""
    return list(meeting.work_plan.select_related("owner_state", "from_meeting"))


def work_plan_item(pk: int) -> WorkPlanItem:
    found = WorkPlanItem.objects.select_related("meeting").filter(pk=pk).first()
    if found is None:
        raise Http404("no such item")
    return found


# Presidencies ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A Presidency and its term: from the Meeting before (None for the first) to its own."""

    presidency: Presidency
    since: Meeting | None

    @property
    def until(self) -> Meeting:
        return self.presidency.meeting


def is_formal(meeting: Meeting) -> bool:
    """Whether a meeting is formal (Art. 11, 12; its costs shared under Art. 14(1)), for the
    apps above meetings (finance, issue #25), which read meetings through its selectors."""
    return rules.is_formal(meeting.kind)


def formal_meetings() -> list[Meeting]:
    return _formal()


def _formal() -> list[Meeting]:
    """The Meetings a President presides over, in order; undated (coming) ones last."""
    found = Meeting.objects.filter(kind__in=rules.PRESIDED_KINDS, cancelled=False).select_related(
        "presidency__state", "presidency__designated_by"
    )
    # Undated coming Meetings in the order they were recorded (3RC before a 14MSP added later)
    return sorted(
        found, key=lambda m: (m.start_date is None, m.start_date or date.max, m.pk if
                              m.start_date is None else 0, m.code),
    )  # fmt: skip


def terms(formal: list[Meeting] | None = None) -> list[Term]:
    """Every Presidency with its term, oldest first (one query, none given the Meetings)."""
    formal = _formal() if formal is None else formal
    out = []
    for i, m in enumerate(formal):
        presidency = getattr(m, "presidency", None)
        if presidency is not None:
            out.append(Term(presidency, formal[i - 1] if i else None))
    return out


def term(code: str, known: list[Term] | None = None) -> Term:
    for t in terms() if known is None else known:
        if t.until.code.lower() == code.lower():
            return t
    raise Http404("no such Presidency")


def in_office(on: date, formal: list[Meeting] | None = None) -> Term | None:
    """The Presidency in office on a day: that of the first Meeting not ended by then (an
    undated coming Meeting counts as not ended); None when that Meeting has no Presidency on
    record, or when every Meeting is over."""
    formal = _formal() if formal is None else formal
    for i, meeting in enumerate(formal):
        end = meeting.end_date or meeting.start_date
        if end is None or end >= on:
            presidency = getattr(meeting, "presidency", None)
            return Term(presidency, formal[i - 1] if i else None) if presidency else None
    return None


def coming_meeting(on: date, formal: list[Meeting] | None = None) -> Meeting | None:
    """The first formal Meeting not ended by a day: under way or coming (an undated coming
    Meeting counts as coming); None when every Meeting in the record is over."""
    formal = _formal() if formal is None else formal
    for meeting in formal:
        end = meeting.end_date or meeting.start_date
        if end is None or end >= on:
            return meeting
    return None


def next_meeting(after: Meeting, formal: list[Meeting] | None = None) -> Meeting | None:
    """The formal Meeting after a Presidency's own: whose Presidency is being decided."""
    formal = _formal() if formal is None else formal
    for i, m in enumerate(formal):
        if m.pk == after.pk:
            return formal[i + 1] if i + 1 < len(formal) else None
    return None


def letterhead(language: str, on: date | None = None) -> Letterhead | None:
    """The letterhead of the Presidency in office on a day, in a language: its sender line, the
    meeting logo (with its national logo, where uploaded), address and signature block."""
    found = in_office(on or timezone.localdate())
    if found is None:
        return None
    return letterhead_of(found.presidency, language)


def letterhead_of(presidency: Presidency, language: str) -> Letterhead:
    import base64

    from ccm.meetings import logo

    meeting = presidency.meeting
    with translation.override(language):
        title = meeting.title
        sender = _("Presidency of the %(meeting)s") % {"meeting": title}
        signs_as = _("President of the %(meeting)s") % {"meeting": title}
        state = presidency.state.name
    image = ""
    national = logo.stored(presidency)  # None for a lost or failing file (logged): no logo
    if national is not None:
        svg = logo.marks(national)
        image = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return Letterhead(
        sender=sender, state=state, address=presidency.address, logo=image,
        signatory=presidency.president, signatory_title=presidency.president_title,
        signs_as=signs_as,
    )  # fmt: skip


def may_change(user: object, meeting: Meeting | None) -> bool:
    """Who changes the records of a Meeting's Presidency (its desk, work plan, Committee,
    letters, logo, consultations on its successor): ISU staff, any year (corrections); a
    Presidency account only for THAT Presidency (its State's, in office or designated) and
    only while its Meeting has not been held (issue #25). `meeting` is the Meeting whose
    Presidency owns the records (its own, or the one convening a coordination meeting); None
    when no Presidency owns them: staff only. The one place this rule is decided."""
    if roles.is_isu_staff(user):  # type: ignore[arg-type]
        return True
    if meeting is None:
        return False
    owner = presidency_of(meeting)
    return (
        owner is not None
        and owner.state_id in roles.presiding_state_ids(user)  # type: ignore[arg-type]
        and owner.meeting.status() != "held"
    )


def _writes(user: object, meeting: Meeting | None, write: bool) -> None:
    if write and not may_change(user, meeting):
        raise PermissionDenied


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The formal Meeting before `meeting`: its Presidency runs the consultations on who
    presides over `meeting`."""
    formal = _formal()
    for i, m in enumerate(formal):
        if m.pk == meeting.pk:
            return formal[i - 1] if i else None
    return None


def presidency_for_user(user: object, code: str, *, write: bool = False) -> Presidency:
    """A Presidency to work on (coordination, succession, letters): staff and the Presidency;
    to change it, see may_change."""
    if not roles.reads_all(user):  # type: ignore[arg-type]
        raise PermissionDenied
    found = (
        Presidency.objects.select_related("meeting", "state")
        .filter(meeting__code__iexact=code)
        .first()
    )
    if found is None:
        raise Http404("no such Presidency")
    _writes(user, found.meeting, write)
    return found


def coordination(presidency: Presidency) -> list[Coordination]:
    """A Presidency year's themes with their coordinator States (two queries)."""
    return list(
        presidency.coordination.prefetch_related(
            Prefetch("coordinators", queryset=State.objects.order_by("name_en"))
        )
    )


def coordination_meetings(presidency: Presidency) -> list[Meeting]:
    """The Committee's meetings under a Presidency with attendance and minutes (few queries)."""
    return list(
        Meeting.objects.filter(kind=MeetingKind.COORDINATION, held_under=presidency)
        .select_related("minutes")
        .prefetch_related("attendance__state")
        .order_by("start_date")
    )


def coordination_meeting_for_user(user: object, code: str, *, write: bool = False) -> Meeting:
    if not roles.reads_all(user):  # type: ignore[arg-type]
        raise PermissionDenied
    found = (
        Meeting.objects.filter(kind=MeetingKind.COORDINATION, code__iexact=code)
        .select_related("held_under__meeting", "minutes")
        .first()
    )
    if found is None:
        raise Http404("no such coordination meeting")
    _writes(user, found, write)  # owned by the Presidency it is held under
    return found


def succession_of(meeting: Meeting) -> Succession | None:
    return (
        Succession.objects.filter(meeting=meeting)
        .prefetch_related("volunteers__state", "consultations")
        .first()
    )


def succession_for_user(user: object, code: str, *, write: bool = False) -> Succession:
    if not roles.reads_all(user):  # type: ignore[arg-type]
        raise PermissionDenied
    found = Succession.objects.select_related("meeting").filter(meeting__code__iexact=code).first()
    if found is None:
        raise Http404("no such succession")
    if write and not may_change_succession(user, found):
        raise PermissionDenied
    return found


def may_change_succession(user: object, succession: Succession) -> bool:
    """The consultations on who presides over a Meeting are the records of the Presidency of
    the Meeting before it (may_change); staff are answered without looking it up."""
    if roles.is_isu_staff(user):  # type: ignore[arg-type]
        return True
    return may_change(user, previous_meeting(succession.meeting))


def stage(succession: Succession | None, meeting: Meeting, today: date) -> str:
    """Where the consultations on a Meeting's Presidency stand (rules.succession_stage)."""
    designated = hasattr(meeting, "presidency")
    if succession is None:
        return "designated" if designated else "not_open"
    volunteers = sum(1 for v in succession.volunteers.all() if v.withdrawn_on is None)
    return rules.succession_stage(
        succession.opens_on, today, volunteers, len(succession.consultations.all()), designated
    )


def volunteer_for_user(user: object, pk: int) -> Volunteer:
    if not roles.reads_all(user):  # type: ignore[arg-type]
        raise PermissionDenied
    found = Volunteer.objects.select_related("succession__meeting", "state").filter(pk=pk).first()
    if found is None:
        raise Http404("no such volunteer")
    return found


def letter_for_user(user: object, pk: int, *, write: bool = False) -> Letter:
    if not roles.reads_all(user):  # type: ignore[arg-type]
        raise PermissionDenied
    found = (
        Letter.objects.select_related("presidency__meeting", "presidency__state")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("no such letter")
    _writes(user, found.presidency.meeting, write)
    return found


def minutes_meeting_for_user(user: object, code: str) -> Meeting:
    found = coordination_meeting_for_user(user, code)
    if not hasattr(found, "minutes") or not found.minutes.file:
        raise Http404("no minutes file")
    return found


def logo_uri(meeting: Meeting, languages: list[str]) -> str:
    """The meeting's logo (both marks, its title, dates and place) as a data: URI of SVG, for
    letters and badges; "" while its Presidency has no national logo (or the file is lost)."""
    import base64

    from ccm.meetings import logo

    presidency = getattr(meeting, "presidency", None) or meeting.held_under
    national = logo.stored(presidency) if presidency is not None else None
    if national is None:  # none, or a lost or failing file (logged): the document has no logo
        return ""
    svg = logo.compose(meeting, national, languages)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def presidency_of(meeting: Meeting) -> Presidency | None:
    """The Presidency that writes about a meeting: its own, or the one convening it."""
    return getattr(meeting, "presidency", None) or meeting.held_under


def registration_deadline(meeting: Meeting) -> date | None:
    """The day delegations register by: the meeting's "registration closes" deadline, else its
    "notes verbales due" one; None when it has neither."""
    given = {d.what: d.due_on for d in meeting.deadlines.all()}
    return given.get("registration") or given.get("notes_verbales")


def coordinator_states(keyword: str, on: date) -> set[str]:
    """The coordinator States, on a day, of the Coordination Committee themes of the Presidency
    then in office whose name holds `keyword` in any language (e.g. "universali" for the
    universalization coordinators); two queries, none when no Presidency is in office."""
    term = in_office(on)
    if term is None:
        return set()
    key = keyword.casefold()
    found: set[str] = set()
    for theme in coordination(term.presidency):
        names = (theme.theme, theme.theme_fr, theme.theme_es)
        if any(key in n.casefold() for n in names if n):
            found |= {s.iso3 for s in theme.coordinators.all()}
    return found


# The to-do of the ISU and the Presidency (issue #26) --------------------------------------

DEADLINES_AHEAD = 120  # days: the coming meetings' steps shown on the home
WORK_DUE_AHEAD = 30  # days: work-plan items due soon (the late ones always)


def own_presidencies(user: object, today: date) -> list[Presidency]:
    """The Presidencies a Presidency account works for whose Meeting is not held yet."""
    ids = roles.presiding_state_ids(user)  # type: ignore[arg-type]
    found = Presidency.objects.filter(state_id__in=ids).select_related("meeting", "state")
    return [p for p in found if p.meeting.status(today) != "held"]


def coming_deadlines(today: date, meeting_ids: list[int] | None = None) -> list[Deadline]:
    """The coming meetings' deadlines from today to DEADLINES_AHEAD days, soonest first (of
    some meetings only, when named); cancelled meetings left out. One query."""
    qs = Deadline.objects.filter(
        due_on__gte=today, due_on__lte=today + timedelta(days=DEADLINES_AHEAD),
        meeting__cancelled=False,
    ).select_related("meeting")  # fmt: skip
    if meeting_ids is not None:
        qs = qs.filter(meeting_id__in=meeting_ids)
    return list(qs.order_by("due_on", "meeting__code", "pk"))


def work_due(today: date, meeting_ids: list[int] | None = None) -> list[WorkPlanItem]:
    """Work-plan items neither done nor dropped that are late or due within WORK_DUE_AHEAD
    days, soonest first (of some meetings only, when named). One query."""
    qs = WorkPlanItem.objects.filter(
        status__in=[ItemStatus.PLANNED, ItemStatus.IN_PROGRESS],
        due_date__lte=today + timedelta(days=WORK_DUE_AHEAD),
    ).select_related("meeting")
    if meeting_ids is not None:
        qs = qs.filter(meeting_id__in=meeting_ids)
    return list(qs.order_by("due_date", "pk"))


def letters_missing_a_language(meeting_ids: list[int]) -> list[Letter]:
    """The Presidency's letters not yet written in each of English, French and Spanish."""
    found = Letter.objects.filter(presidency__meeting_id__in=meeting_ids).select_related(
        "presidency__meeting"
    )
    return [x for x in found if len(x.languages) < 3]


def consultations_to_lead(presidencies: list[Presidency], today: date) -> list[tuple[Meeting, str]]:
    """The coming Meetings whose Presidency these Presidencies consult on (the one after each
    of theirs), with where the consultations stand, while no State is designated."""
    formal = _formal()
    out = []
    for p in presidencies:
        following = next_meeting(p.meeting, formal)
        if following is None:
            continue
        found = stage(succession_of(following), following, today)
        if found != "designated":
            out.append((following, found))
    return out
