"""Small helpers shared by the brokering tests."""

from django.core import mail

from wipomatch.brokering import services


def express(world, *, user=None, message="We would like to train our examiners with you."):
    return services.match_express_interest(
        user=user or world.seeker, need=world.need, offer=world.offer, message=message
    )


def to_mutual(world):
    case = express(world)
    return services.match_accept(user=world.provider, case=case, message="Avec plaisir.")


def to_agreement(world):
    case = to_mutual(world)
    return services.match_close(
        user=world.facilitator,
        case=case,
        outcome="agreement",
        note="Two training sessions in Dakar.",
    )


def all_mail_text() -> str:
    return "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox)
