"""The secretariat's forms for its register: organisations, secretariats, bodies and people.

The forms only read and type the input; the services check the rules and write (a form's
`save()` is never called, and the model's own validation is left to the services, whose
messages are the ones the user sees)."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Body, Organisation, Person, Secretariat
from .selectors import secretariats_of

NONE_CHOSEN = _("(none)")


class _ServiceModelForm(forms.ModelForm):
    """A ModelForm for its fields and labels; the instance is neither changed nor validated."""

    def _post_clean(self):
        pass

    def _choices_capitalised(self, *names: str) -> None:
        for name in names:
            field = self.fields[name]
            field.choices = [(value, capfirst(label)) for value, label in field.choices]

    def _organisation_missing_link(self) -> None:
        """Help beside the organisation list: where to create one that is missing."""
        url = escape(reverse("bodies:organisation_create"))
        # The address is escaped; the message is ours.
        self.fields["organisation"].help_text = mark_safe(
            gettext(
                'Is the organisation missing from the list? <a href="%(new_org)s">Create it first</a>.'
            )
            % {"new_org": url}
        )


class OrganisationForm(_ServiceModelForm):
    class Meta:
        model = Organisation
        fields = list(services.ORGANISATION_FIELDS)
        help_texts = {"code": _("The municipality code, e.g. 101 for Copenhagen (may be empty).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._choices_capitalised("kind")


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


class SecretariatForm(_ServiceModelForm):
    staff = UserChoices(
        label=_("Staff"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff edit the meetings, agendas and members of the bodies it serves."),
    )

    class Meta:
        model = Secretariat
        fields = [*services.SECRETARIAT_FIELDS, "staff"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["host_organisation"].empty_label = NONE_CHOSEN
        if not user.is_superuser and not self.instance.pk:
            self.initial.setdefault("staff", [user.pk])

    def plain_fields(self):
        """The fields shown one by one; the staff checkboxes get a fieldset of their own."""
        return [self[name] for name in self.fields if name != "staff"]

    def clean_staff(self):
        staff = self.cleaned_data["staff"]
        if not self.user.is_superuser and self.user not in staff:
            raise forms.ValidationError(
                _(
                    "You cannot remove yourself from the staff here; a colleague or an "
                    "administrator can."
                )
            )
        return staff


class BodyForm(_ServiceModelForm):
    meetings_per_year = forms.IntegerField(
        label=capfirst(Body._meta.get_field("meetings_per_year").verbose_name),
        min_value=0,
        max_value=services.MEETINGS_PER_YEAR_MAX,
        initial=4,
        help_text=_("How often the body usually meets, e.g. 4 or 6; shown when a year is planned."),
    )

    # The everyday fields first; the address name, which rarely changes, last.
    field_order = [
        "name",
        "kind",
        "organisation",
        "secretariat",
        "parent",
        "meetings_per_year",
        "default_location",
        "description",
        "slug",
    ]

    class Meta:
        model = Body
        fields = list(services.BODY_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "slug": _(
                "Used in the body's web addresses; made from the name when left empty. "
                "Changing it breaks links that others have saved."
            ),
            "secretariat": _("Its staff plan the meetings and keep the members."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self._choices_capitalised("kind")
        self._organisation_missing_link()
        secretariat = self.fields["secretariat"]
        secretariat.queryset = secretariats_of(user)
        secretariat.empty_label = NONE_CHOSEN
        # Staff choose one of their own secretariats: a body none of theirs serves would be
        # out of their reach as soon as it is saved.
        secretariat.required = not user.is_superuser
        self.fields["organisation"].empty_label = NONE_CHOSEN
        parent = self.fields["parent"]
        parent.empty_label = NONE_CHOSEN
        if self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)


class PersonForm(_ServiceModelForm):
    class Meta:
        model = Person
        fields = list(services.PERSON_FIELDS)
        help_texts = {
            "job_title": _("Title or position, e.g. Kommunaldirektør."),
            "user": _("The login that sees the closed items of the bodies the person sits in."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].empty_label = NONE_CHOSEN
        self._organisation_missing_link()
        if user.is_superuser:
            self.fields["user"].empty_label = NONE_CHOSEN
        else:
            # A login linked to a member sees the closed items of the member's bodies:
            # only an administrator links one.
            del self.fields["user"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
