"""The Norwegian recognizers, one small class per concern."""

from research.anonymize.recognizers.address import PostalPlaceRecognizer, StreetAddressRecognizer
from research.anonymize.recognizers.date_of_birth import DateOfBirthRecognizer
from research.anonymize.recognizers.gazetteer import KnownNameRecognizer
from research.anonymize.recognizers.names import FirstNameRecognizer, NameContextRecognizer, SurnameRecognizer
from research.anonymize.recognizers.national_id import NationalIdRecognizer
from research.anonymize.recognizers.ner import NorwegianNerRecognizer
from research.anonymize.recognizers.organizations import InstitutionRecognizer, OrganizationGazetteerRecognizer
from research.anonymize.recognizers.phone import PhoneRecognizer
from research.anonymize.recognizers.places import PlaceContextRecognizer, PlaceGazetteerRecognizer
from research.anonymize.recognizers.proper_nouns import ProperNounRecognizer
from research.anonymize.recognizers.username import UsernameRecognizer
from research.anonymize.recognizers.web import EmailRecognizer, UrlRecognizer

PATTERN_RECOGNIZERS = (
    NationalIdRecognizer,
    PhoneRecognizer,
    EmailRecognizer,
    UrlRecognizer,
    UsernameRecognizer,
    DateOfBirthRecognizer,
    StreetAddressRecognizer,
    PostalPlaceRecognizer,
)
NAME_RECOGNIZERS = (
    FirstNameRecognizer,
    SurnameRecognizer,
    NameContextRecognizer,
    PlaceGazetteerRecognizer,
    PlaceContextRecognizer,
    InstitutionRecognizer,
    OrganizationGazetteerRecognizer,
    KnownNameRecognizer,
    ProperNounRecognizer,
)

__all__ = [cls.__name__ for cls in (*PATTERN_RECOGNIZERS, *NAME_RECOGNIZERS, NorwegianNerRecognizer)]
