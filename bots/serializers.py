"""Shapes of the bots API: strict input serializers and plain output serializers.

No logic lives here (STYLE #3): inputs delegate their checks to bots/validation.py, and
outputs only read attributes. The response serializers double as the OpenAPI schema, and
their field names are a contract (the bot-versioning guide reads `versions`,
`version_number`, `description`, `created_at`, `message` and `bot`).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from bots.selectors import PUBLIC_LIST_DEFAULT_LIMIT, PUBLIC_LIST_MAX_LIMIT, PUBLIC_LIST_MAX_OFFSET
from bots.validation import (
    CODE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    NAME_MAX_LENGTH,
    NAME_PATTERN,
    NAME_RULE,
    USERNAME_MAX_LENGTH,
    check_bot_code,
    check_bot_description,
    check_bot_name,
    check_is_active,
    check_owner_username,
    check_version_description,
)
from gamearena.errors import (
    CheckedBooleanField,
    CheckedCharField,
    CheckedIntegerField,
    StrictSerializer,
    query_int_check,
)

# --- Input ---------------------------------------------------------------------------


class BotSubmitInputSerializer(StrictSerializer):
    name = CheckedCharField(
        check=check_bot_name,
        max_length=NAME_MAX_LENGTH,
        help_text=NAME_RULE,
        # Only for the schema's `pattern`: check_bot_name is what enforces the rule.
        validators=[RegexValidator(f"^{NAME_PATTERN.pattern}$")],
    )
    code = CheckedCharField(
        check=check_bot_code,
        max_length=CODE_MAX_LENGTH,
        help_text="The bot's source: non-empty UTF-8 text without NUL characters.",
    )
    description = CheckedCharField(
        check=check_version_description,
        required=False,
        allow_blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text="What changed in this version (shown in the version list).",
    )


class BotUpdateInputSerializer(StrictSerializer):
    """A partial update: every field is optional, and only the fields sent change."""

    is_active = CheckedBooleanField(
        check=check_is_active,
        required=False,
        help_text="Whether the bot takes part in matches.",
    )
    description = CheckedCharField(
        check=check_bot_description,
        required=False,
        allow_blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text="What the bot is (its own description, not a version's).",
    )


class BotRollbackInputSerializer(StrictSerializer):
    description = CheckedCharField(
        check=check_version_description,
        required=False,
        allow_blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text='Description of the new version; default "Rolled back to version <n>".',
    )


class PublicBotQuerySerializer(serializers.Serializer[Any]):
    """Give it `request.query_params.dict()`: as a QueryDict, DRF would drop `owner=`
    silently instead of refusing it."""

    owner = CheckedCharField(
        check=check_owner_username,
        required=False,
        max_length=USERNAME_MAX_LENGTH,
        help_text="Only this user's bots.",
    )
    limit = CheckedIntegerField(
        check=query_int_check("limit", 1, PUBLIC_LIST_MAX_LIMIT),
        required=False,
        min_value=1,
        max_value=PUBLIC_LIST_MAX_LIMIT,
        help_text=f"Page size (default {PUBLIC_LIST_DEFAULT_LIMIT}).",
    )
    offset = CheckedIntegerField(
        check=query_int_check("offset", 0, PUBLIC_LIST_MAX_OFFSET),
        required=False,
        min_value=0,
        max_value=PUBLIC_LIST_MAX_OFFSET,
        help_text="Bots to skip.",
    )


# --- Output --------------------------------------------------------------------------


class BotSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.CharField(source="owner.username")
    description = serializers.CharField(allow_blank=True, help_text="What the bot is.")
    version_number = serializers.IntegerField(
        help_text="The active version: the one battles play. A newer version waits, pending, "
        "until its qualification battle passes (see its `qualification`)."
    )
    elo_rating = serializers.FloatField()
    match_count = serializers.IntegerField()
    win_count = serializers.IntegerField()
    is_active = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class BotDetailSerializer(BotSerializer):
    code = serializers.CharField(help_text="The current version's code.")


class PublicBotSerializer(serializers.Serializer[Any]):
    """What anybody may see of a bot: its profile, never its code or history."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    owner = serializers.CharField(source="owner.username")
    elo_rating = serializers.FloatField()
    match_count = serializers.IntegerField()
    win_count = serializers.IntegerField()
    is_active = serializers.BooleanField()


class QualificationSerializer(serializers.Serializer[Any]):
    """Owner only, like every version endpoint: the stderr line is the bot's private output."""

    status = serializers.ChoiceField(
        choices=["pending", "qualified", "failed", "error"],
        source="qualification_status",
        help_text="pending until its battle against a house bot ends; failed on a crash, a "
        "timeout or an invalid output (never active); error when the battle could not be "
        "played (submit the code again).",
    )
    reason = serializers.CharField(source="qualification_reason", allow_blank=True)
    fault = serializers.ChoiceField(
        choices=["", "timeout", "crashed", "invalid"], source="qualification_fault"
    )
    fault_turn = serializers.IntegerField(source="qualification_fault_turn", allow_null=True)
    stderr_excerpt = serializers.CharField(
        source="qualification_stderr_owner_only",
        allow_blank=True,
        help_text="The last line the bot printed on stderr before its fault (its own text).",
    )
    battle = serializers.UUIDField(
        source="qualification_battle.public_id", allow_null=True, default=None
    )


class BotVersionSerializer(serializers.Serializer[Any]):
    version_number = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    match_count = serializers.IntegerField()
    win_count = serializers.IntegerField()
    qualification = QualificationSerializer(source="*")


class BotVersionDetailSerializer(BotVersionSerializer):
    code = serializers.CharField()


class BotResponseSerializer(serializers.Serializer[Any]):
    bot = BotSerializer()


class BotDetailResponseSerializer(serializers.Serializer[Any]):
    bot = BotDetailSerializer()


class BotMessageResponseSerializer(serializers.Serializer[Any]):
    message = serializers.CharField()
    bot = BotSerializer()


class BotSubmitResponseSerializer(serializers.Serializer[Any]):
    message = serializers.CharField()
    created = serializers.BooleanField(help_text="True when this request created the bot.")
    new_version = serializers.BooleanField(help_text="False when the code was identical.")
    bot = BotSerializer()
    version = BotVersionSerializer(
        help_text="The version recorded (or, with new_version false, the newest one); it is "
        "active once its qualification passes."
    )


class BotListResponseSerializer(serializers.Serializer[Any]):
    bots = BotSerializer(many=True)


class PublicBotListResponseSerializer(serializers.Serializer[Any]):
    bots = PublicBotSerializer(many=True)
    count = serializers.IntegerField(help_text="All matching bots, across pages.")
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


class BotVersionListResponseSerializer(serializers.Serializer[Any]):
    versions = BotVersionSerializer(many=True, help_text="Newest first.")


class BotVersionResponseSerializer(serializers.Serializer[Any]):
    version = BotVersionDetailSerializer()


class BotRollbackResponseSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(
        help_text='"Rolled back to version <n> as version <m>", or says why no version was made.'
    )
    new_version = serializers.BooleanField(
        help_text="False when version <n>'s code was already current: nothing was created."
    )
    bot = BotSerializer()
    version = BotVersionSerializer(
        help_text="The version recorded (or, with new_version false, the newest one); it is "
        "active once its qualification passes."
    )


class DiffLineSerializer(serializers.Serializer[Any]):
    op = serializers.ChoiceField(choices=["hunk", "equal", "insert", "delete"])
    old_no = serializers.IntegerField(allow_null=True)
    new_no = serializers.IntegerField(allow_null=True)
    text = serializers.CharField()
    missing_newline = serializers.BooleanField()


class BotDiffResponseSerializer(serializers.Serializer[Any]):
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    diff = serializers.CharField(help_text="Unified diff text; empty when identical.")
    lines = DiffLineSerializer(many=True, help_text="The same diff, one entry per line.")
    insertions = serializers.IntegerField()
    deletions = serializers.IntegerField()
