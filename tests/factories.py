"""Test data builders shared by every test folder."""

import factory

from accounts.models import Role, User
from permits.models import OPD, PermitType, Requirement


class OPDFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OPD
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OPD{n}")
    name_id = factory.Sequence(lambda n: f"Dinas Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Office {n}")


class PermitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermitType

    code = factory.Sequence(lambda n: f"UJI-{n:03d}")
    name_id = factory.Sequence(lambda n: f"Izin Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Permit {n}")
    opd = factory.SubFactory(OPDFactory)
    family = "trade"
    sop_duration = 3
    legal_basis = "Peraturan Daerah Kabupaten Sukamaju Nomor 1 Tahun 2024"
    number_pattern = factory.LazyAttribute(lambda t: f"503/{{seq:04d}}/{t.code}/{{opd}}/{{year}}")


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    permit_type = factory.SubFactory(PermitTypeFactory)
    code = factory.Sequence(lambda n: f"DOK{n}")
    name_id = factory.Sequence(lambda n: f"Dokumen {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")
    formats = ["pdf", "jpg", "png"]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    role = Role.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", "s3cret-pass")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
