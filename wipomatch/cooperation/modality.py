"""The cooperation modality of an initiative, derived from its parties (pure Python).

The rule (issue 11, "How the modality is derived"):

- Parties with the role facilitator never count. Every other party is Southern when its country
  is in the platform's Global South grouping, Northern when it is not, and multilateral when it
  has no country (an intergovernmental organisation).
- south-south: every counted party is Southern (and there is at least one counted party).
- triangular: at least one Southern provider or implementing partner and at least one Southern
  beneficiary, supported by at least one Northern or multilateral funder or provider.
- north-south: at least one Southern beneficiary, served or funded (provider, implementing
  partner or funder) by Northern or multilateral parties, with no Southern provider or
  implementing partner.
- other: anything else (only Northern parties, no beneficiary in the South, only facilitators).
- public-private (a flag beside the modality): among the counted parties at least one public-sector
  party (ip-office, government, public-body, igo) and at least one private-sector party (business,
  industry-association); a counted party of type ppp sets it alone.

`derive_modality` returns the modality, the flag and a structured `Reason` (roles, countries,
names; no sentence). `Reason.render()` writes the sentence in the active language, so the same
stored reason reads in Arabic on one page and in French on another. Only Django's translation
functions are imported: the rule itself has no database access.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext, pgettext

SOUTH_SOUTH = "south-south"
NORTH_SOUTH = "north-south"
TRIANGULAR = "triangular"
OTHER = "other"
MODALITIES = (SOUTH_SOUTH, NORTH_SOUTH, TRIANGULAR, OTHER)

BENEFICIARY = "beneficiary"
PROVIDER = "provider"
FUNDER = "funder"
IMPLEMENTING_PARTNER = "implementing_partner"
FACILITATOR = "facilitator"
ROLES = (BENEFICIARY, PROVIDER, FUNDER, IMPLEMENTING_PARTNER, FACILITATOR)

ORGANISATION_TYPES = (
    "ip-office",
    "government",
    "public-body",
    "academia",
    "business",
    "industry-association",
    "innovation-hub",
    "ngo",
    "foundation",
    "igo",
    "ppp",
    "other",
)
PUBLIC_TYPES = frozenset({"ip-office", "government", "public-body", "igo"})
PRIVATE_TYPES = frozenset({"business", "industry-association"})
PPP_TYPE = "ppp"

SOUTH = "south"
NORTH = "north"
MULTILATERAL = "multilateral"

# Reason codes (stored with an initiative, rendered in the reader's language).
R_SOUTH_SOUTH = "south_south"
R_TRIANGULAR = "triangular"
R_NORTH_SOUTH = "north_south"
R_NO_PARTIES = "other_no_parties"
R_NO_SOUTHERN_BENEFICIARY = "other_no_southern_beneficiary"
R_NO_SUPPORT = "other_no_northern_support"

PPP_TYPE_ALONE = "ppp_type"
PPP_PUBLIC_PRIVATE = "public_private"


@dataclass(frozen=True)
class PartyInput:
    """One party as the rule sees it. `name` is only used to explain (an IGO has no country)."""

    role: str
    organisation_type: str
    country: str | None = None  # ISO 3166 alpha-2, None for an intergovernmental organisation
    southern: bool = False  # is `country` in the Global South grouping (ignored without country)
    name: str = ""

    @property
    def zone(self) -> str:
        if not self.country:
            return MULTILATERAL
        return SOUTH if self.southern else NORTH

    @property
    def counts(self) -> bool:
        return self.role != FACILITATOR


def _ref(party: PartyInput) -> dict:
    return {"role": party.role, "country": party.country or None, "name": party.name}


@dataclass(frozen=True)
class Reason:
    """Why a modality: a code and the parties that decided it (JSON-serialisable with as_dict)."""

    code: str
    decisive: tuple = ()  # parties ({role, country, name}) the sentence names first
    support: tuple = ()  # the Northern / multilateral parties that support or serve
    ppp_code: str = ""
    ppp_parties: tuple = ()

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "decisive": [dict(p) for p in self.decisive],
            "support": [dict(p) for p in self.support],
            "ppp_code": self.ppp_code,
            "ppp_parties": [dict(p) for p in self.ppp_parties],
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "Reason":
        data = data or {}
        return cls(
            code=data.get("code", R_NO_PARTIES),
            decisive=tuple(data.get("decisive", ())),
            support=tuple(data.get("support", ())),
            ppp_code=data.get("ppp_code", ""),
            ppp_parties=tuple(data.get("ppp_parties", ())),
        )

    def render(self, country_name: Callable[[str], str] | None = None) -> str:
        """The reason as one sentence in the active language. `country_name` turns an ISO code
        into a name in that language (the caller knows where the names are stored)."""
        namer = country_name or (lambda code: code)
        decisive = _join([_describe(p, namer) for p in self.decisive])
        support = _join([_describe(p, namer) for p in self.support])
        if self.code == R_SOUTH_SOUTH:
            text = gettext("south-south: %(parties)s are in the Global South") % {
                "parties": decisive
            }
            if len(self.decisive) == 1:
                text = gettext("south-south: %(parties)s is in the Global South") % {
                    "parties": decisive
                }
        elif self.code == R_TRIANGULAR:
            text = gettext(
                "triangular: %(parties)s are in the Global South, supported by %(support)s"
            ) % {"parties": decisive, "support": support}
        elif self.code == R_NORTH_SOUTH:
            text = gettext(
                "north-south: %(parties)s in the Global South served or funded by %(support)s, "
                "with no Southern provider or implementing partner"
            ) % {"parties": decisive, "support": support}
        elif self.code == R_NO_SOUTHERN_BENEFICIARY:
            text = gettext("other: no beneficiary is in the Global South")
        elif self.code == R_NO_SUPPORT:
            text = gettext(
                "other: %(parties)s in the Global South, but no Northern or multilateral funder "
                "or provider supports them"
            ) % {"parties": decisive}
        else:
            text = gettext("other: there is no party apart from facilitators")
        if self.ppp_code == PPP_TYPE_ALONE:
            text += gettext("; public-private: %(parties)s is a public-private partnership") % {
                "parties": _join([_describe(p, namer) for p in self.ppp_parties])
            }
        elif self.ppp_code == PPP_PUBLIC_PRIVATE:
            public, private = self.ppp_parties[:1], self.ppp_parties[1:2]
            text += gettext(
                "; public-private: %(public)s is public-sector and %(private)s private-sector"
            ) % {
                "public": _join([_describe(p, namer) for p in public]),
                "private": _join([_describe(p, namer) for p in private]),
            }
        return text


def role_label(role: str) -> str:
    labels = {
        BENEFICIARY: pgettext("party role", "beneficiary"),
        PROVIDER: pgettext("party role", "provider"),
        FUNDER: pgettext("party role", "funder"),
        IMPLEMENTING_PARTNER: pgettext("party role", "implementing partner"),
        FACILITATOR: pgettext("party role", "facilitator"),
    }
    return str(labels.get(role, role))


def _describe(party: dict, namer: Callable[[str], str]) -> str:
    """ "the provider (Brazil)"; an IGO without a country is named by its name."""
    where = namer(party["country"]) if party.get("country") else ""
    label = where or party.get("name") or gettext("intergovernmental organisation")
    return gettext("the %(role)s (%(label)s)") % {"role": role_label(party["role"]), "label": label}


def _join(items: list[str]) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return gettext("%(first)s and %(last)s") % {
        "first": gettext(", ").join(items[:-1]),
        "last": items[-1],
    }


@dataclass(frozen=True)
class ModalityResult:
    modality: str
    ppp: bool
    reason: Reason = field(default_factory=lambda: Reason(code=R_NO_PARTIES))


def _ppp(counted: list[PartyInput]) -> tuple[bool, str, tuple]:
    alone = [p for p in counted if p.organisation_type == PPP_TYPE]
    if alone:
        return True, PPP_TYPE_ALONE, (_ref(alone[0]),)
    public = [p for p in counted if p.organisation_type in PUBLIC_TYPES]
    private = [p for p in counted if p.organisation_type in PRIVATE_TYPES]
    if public and private:
        return True, PPP_PUBLIC_PRIVATE, (_ref(public[0]), _ref(private[0]))
    return False, "", ()


def derive_modality(parties: Iterable[PartyInput]) -> ModalityResult:
    """Apply the rule to a set of parties. Unknown roles must be rejected before (ROLES)."""
    counted = [p for p in parties if p.counts]
    ppp, ppp_code, ppp_parties = _ppp(counted)

    def result(modality: str, code: str, decisive=(), support=()) -> ModalityResult:
        reason = Reason(
            code=code,
            decisive=tuple(_ref(p) for p in decisive),
            support=tuple(_ref(p) for p in support),
            ppp_code=ppp_code,
            ppp_parties=ppp_parties,
        )
        return ModalityResult(modality=modality, ppp=ppp, reason=reason)

    if not counted:
        return result(OTHER, R_NO_PARTIES)
    if all(p.zone == SOUTH for p in counted):
        # Name the providers and beneficiaries first; other roles when there are none.
        named = [p for p in counted if p.role in (PROVIDER, IMPLEMENTING_PARTNER, BENEFICIARY)]
        return result(SOUTH_SOUTH, R_SOUTH_SOUTH, decisive=named or counted)

    southern_beneficiaries = [p for p in counted if p.zone == SOUTH and p.role == BENEFICIARY]
    southern_providers = [
        p for p in counted if p.zone == SOUTH and p.role in (PROVIDER, IMPLEMENTING_PARTNER)
    ]
    outside = [p for p in counted if p.zone in (NORTH, MULTILATERAL)]
    supporters = [p for p in outside if p.role in (FUNDER, PROVIDER)]
    servers = [p for p in outside if p.role in (FUNDER, PROVIDER, IMPLEMENTING_PARTNER)]

    if not southern_beneficiaries:
        return result(OTHER, R_NO_SOUTHERN_BENEFICIARY)
    if southern_providers and supporters:
        return result(
            TRIANGULAR,
            R_TRIANGULAR,
            decisive=southern_providers + southern_beneficiaries,
            support=supporters,
        )
    if not southern_providers and servers:
        return result(NORTH_SOUTH, R_NORTH_SOUTH, decisive=southern_beneficiaries, support=servers)
    return result(OTHER, R_NO_SUPPORT, decisive=southern_beneficiaries + southern_providers)
