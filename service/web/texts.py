"""Words of the web pages, Dutch first, English second: one table for every text."""

import math
from collections.abc import Mapping
from types import MappingProxyType

from service.domain.workflow import Status

PAGE_TEXTS: dict[str, tuple[str, str]] = {
    "site_name": ("Aardbevingsschade melden", "Report earthquake damage"),
    "your_report": ("Uw melding", "Your report"),
    "category": ("Soort schade", "Kind of damage"),
    "your_description": ("Uw beschrijving", "Your description"),
    "handled_by": ("Behandeld door", "Handled by"),
    "finding_corporation": (
        "We zoeken uit welke woningcorporatie eigenaar is",
        "We are finding out which corporation owns the home",
    ),
    "reported_on": ("Gemeld op", "Reported on"),
    "contact_by": ("Contact uiterlijk", "Contact by"),
    "inspect_by": ("Inspectie uiterlijk", "Inspection by"),
    "resolve_by": ("Afgehandeld uiterlijk", "Resolved by"),
    "history": ("Verloop", "History"),
    "visit_inspection_planned": ("Afspraak voor de inspectie", "Inspection appointment"),
    "visit_repair_planned": ("Afspraak voor het herstel", "Repair appointment"),
    "keep_link": (
        "Bewaar deze link: alleen u kunt hiermee uw melding volgen.",
        "Keep this link: only you can follow your report with it.",
    ),
    # The tenant's download of everything kept about the report (AVG article 15).
    "what_we_keep": ("Wat wij bewaren", "What we keep"),
    "download_all": (
        "Download alles wat wij over uw melding bewaren",
        "Download everything we keep about your report",
    ),
    "download_all_hint": (
        "U krijgt één zip-bestand met uw melding, uw gegevens, de geschiedenis en uw foto's "
        "en documenten. Interne aantekeningen van medewerkers staan er niet in.",
        "You get one zip file with your report, your details, its history and your photos "
        "and documents. Staff's internal notes are not in it.",
    ),
    "acute_notice": (
        "U meldde een mogelijk acuut onveilige situatie. Is er direct gevaar? Bel 112.",
        "You reported a possibly acute unsafe situation. Are lives in danger? Call 112.",
    ),
    "other_language": ("English", "Nederlands"),
    "report_title": ("Schade melden", "Report damage"),
    "report_intro": (
        "Meld hier schade door aardbevingen aan uw huurwoning. Wij sturen uw melding door "
        "naar de woningcorporatie die eigenaar is van uw woning.",
        "Report earthquake damage to your rented home here. We pass your report on to the "
        "housing corporation that owns your home.",
    ),
    "danger": (
        "Is er direct gevaar voor mensen? Bel eerst 112.",
        "Are lives in danger? Call 112 first.",
    ),
    "your_home": ("Uw woning", "Your home"),
    "postcode": ("Postcode", "Postcode"),
    "house_number": ("Huisnummer", "House number"),
    "house_number_hint": (
        "Met huisletter of toevoeging mag ook, zoals 12a of 12-2.",
        "With a house letter or addition is fine too, like 12a or 12-2.",
    ),
    "house_letter": ("Huisletter", "House letter"),
    "addition": ("Toevoeging", "Addition"),
    "what_damage": ("Wat is er beschadigd?", "What is damaged?"),
    "acute": (
        "Het is gevaarlijk, of het kan elk moment gevaarlijk worden (acuut)",
        "It is dangerous, or it could become dangerous at any moment (acute)",
    ),
    "acute_hint": (
        "Bel 112 als er levensgevaar is. Acute meldingen behandelen wij binnen 4 uur.",
        "Call 112 when lives are in danger. We handle acute reports within 4 hours.",
    ),
    "description": ("Beschrijf de schade", "Describe the damage"),
    "description_hint": (
        "Waar zit de schade, hoe groot is die, sinds wanneer?",
        "Where is the damage, how large is it, since when?",
    ),
    "contact": ("Uw gegevens", "Your details"),
    "name": ("Naam", "Name"),
    "email": ("E-mailadres", "Email address"),
    "phone": ("Telefoonnummer", "Phone number"),
    "language": ("Taal voor berichten", "Language for messages"),
    "privacy": (
        "Wij gebruiken uw gegevens alleen om uw melding te behandelen en contact met u op te "
        "nemen. De woningcorporatie ziet ze; anderen niet.",
        "We use your details only to handle your report and to contact you. The housing "
        "corporation sees them; nobody else does.",
    ),
    "submit": ("Melding versturen", "Send report"),
    "report_errors_summary": (
        "Niet alles is goed ingevuld. Verbeter deze velden:",
        "Not everything is filled in correctly. Please correct these fields:",
    ),
    "outside_area": (
        "Deze dienst is voor huurwoningen in Groningen en het noorden van Drenthe. "
        "Postcode {postcode} ligt daarbuiten. Klopt de postcode? Dan kunt u de melding "
        "toch versturen.",
        "This service is for rented homes in Groningen and the north of Drenthe. "
        "Postcode {postcode} is outside that area. Is the postcode right? Then you can "
        "still send your report.",
    ),
    "outside_area_send": (
        "De postcode klopt. Verstuur mijn melding toch.",
        "The postcode is right. Send my report anyway.",
    ),
    "form_has_errors": (
        "Niet alles is goed ingevuld. Kijk bij de velden met een melding.",
        "Not everything is filled in correctly. See the fields with a message.",
    ),
    "done_title": ("Uw melding is ontvangen", "Your report has been received"),
    "your_reference": ("Uw referentie", "Your reference"),
    "keep_link_now": (
        "Bewaar deze link goed: alleen hiermee kunt u uw melding volgen. We tonen hem maar één keer.",
        "Keep this link safe: it is the only way to follow your report. We show it only once.",
    ),
    "done_what_next": ("Wat gebeurt er nu?", "What happens next?"),
    "done_next_routed": (
        "Uw woning is van {corporation}. Wij hebben uw melding naar hen gestuurd; zij nemen "
        "uiterlijk {date} contact met u op.",
        "Your home belongs to {corporation}. We have sent them your report; they will contact "
        "you by {date}.",
    ),
    "done_next_unrouted": (
        "We zoeken uit welke woningcorporatie eigenaar is van uw woning en sturen uw melding "
        "door. U hoort uiterlijk {date} van ons.",
        "We are finding out which housing corporation owns your home and will pass your "
        "report on. You will hear from us by {date}.",
    ),
    "follow_report": ("Volg uw melding", "Follow your report"),
    "is_it_repaired": ("Is de schade hersteld?", "Is the damage repaired?"),
    "confirm_repair": ("Ja, de schade is hersteld", "Yes, the damage is repaired"),
    "reopen_reason": ("Nee, want:", "No, because:"),
    "reopen": ("Melding heropenen", "Reopen the report"),
    "add_information": ("Informatie toevoegen", "Add information"),
    "your_addition": ("Uw aanvulling", "Your addition"),
    "send": ("Versturen", "Send"),
    "error_addition_empty": (
        "Schrijf hier wat u wilt toevoegen.",
        "Write here what you want to add.",
    ),
    "error_reopen_reason_empty": (
        "Schrijf hier waarom de schade niet goed is hersteld.",
        "Write here why the damage is not repaired well.",
    ),
    "action_done": ("Dank u, dat is verwerkt.", "Thank you, that has been recorded."),
    "action_not_possible": (
        "Dat kan nu niet meer. Neem contact op met uw woningcorporatie of doe een nieuwe melding.",
        "That is no longer possible. Contact your housing corporation or make a new report.",
    ),
    # The tenant's request for erasure (article 17 AVG) on the tracking page.
    "erasure_heading": ("Uw gegevens laten verwijderen", "Have your data erased"),
    "erasure_intro": (
        "U kunt ons vragen uw gegevens te verwijderen. Wij verwijderen dan uw naam, "
        "e-mailadres, telefoonnummer en adres, uw beschrijving, uw berichten en de foto's. "
        "Dat gebeurt binnen een maand.",
        "You can ask us to erase your data. We then erase your name, e-mail address, phone "
        "number and address, your description, your messages and the photos. This happens "
        "within one month.",
    ),
    "erasure_button": ("Vraag om verwijdering", "Ask for erasure"),
    "erasure_confirm_heading": (
        "Wilt u echt dat wij uw gegevens verwijderen?",
        "Do you really want us to erase your data?",
    ),
    "erasure_confirm_open": (
        "Is uw melding nog niet klaar? Dan stopt de behandeling. Wij komen dan niet meer "
        "langs voor deze melding.",
        "Is your report not finished yet? Then we stop handling it. We will not come to your "
        "home for this report any more.",
    ),
    "erasure_confirm_link": (
        "Deze link werkt daarna niet meer. U kunt uw melding dan niet meer bekijken.",
        "After that this link stops working. You can no longer see your report.",
    ),
    "erasure_confirm_kept": (
        "Wij bewaren alleen gegevens zonder uw naam of adres, zoals het soort schade en de "
        "datum. Die gebruiken wij voor cijfers over schade.",
        "We only keep data without your name or address, such as the kind of damage and the "
        "date. We use these for figures about damage.",
    ),
    "erasure_confirm_final": (
        "U kunt dit niet terugdraaien.",
        "You cannot undo this.",
    ),
    "erasure_confirm_yes": ("Ja, verwijder mijn gegevens", "Yes, erase my data"),
    "erasure_confirm_no": ("Nee, terug naar mijn melding", "No, back to my report"),
    "erasure_pending": (
        "U heeft gevraagd om uw gegevens te verwijderen. Dat gebeurt uiterlijk {date}. "
        "Daarna werkt deze link niet meer.",
        "You asked us to erase your data. This happens by {date} at the latest. After that "
        "this link stops working.",
    ),
    "erasure_requested_notice": (
        "Uw verzoek is ontvangen. Wij verwijderen uw gegevens uiterlijk {date}.",
        "We have received your request. We will erase your data by {date} at the latest.",
    ),
    "sign_in": ("Inloggen", "Sign in"),
    "password": ("Wachtwoord", "Password"),
    "sign_in_failed": (
        "Dit e-mailadres en wachtwoord horen niet bij elkaar.",
        "This email address and password do not match.",
    ),
    "signed_in_as": ("Ingelogd als", "Signed in as"),
    "sign_out": ("Uitloggen", "Sign out"),
    "work_title": ("Werkvoorraad", "Work queue"),
    "filters": ("Filters", "Filters"),
    "filter_search": ("Zoek op referentie of straat", "Search by reference or street"),
    "filter_status": ("Status", "Status"),
    "filter_open": ("Alle open zaken", "All open cases"),
    "filter_deadline": ("Termijn", "Deadline"),
    "filter_any": ("Alle", "All"),
    "filter_anyone": ("Iedereen", "Anyone"),
    "filter_me": ("Ik", "Me"),
    "filter_only_acute": ("Alleen acuut", "Acute only"),
    "filter_not_acute": ("Niet acuut", "Not acute"),
    "filter_apply": ("Toon", "Show"),
    "filter_clear": ("Wis filters", "Clear filters"),
    "next_page": ("Volgende pagina", "Next page"),
    "previous_page": ("Vorige pagina", "Previous page"),
    "pages": ("Pagina's", "Pages"),
    "page_of": ("Pagina {page} van {last}", "Page {page} of {last}"),
    "queue_empty": ("Geen zaken gevonden.", "No cases found."),
    "work_cases": ("Zaken", "Cases"),
    "work_column_reference": ("Referentie", "Reference"),
    "work_column_deadline": ("Volgende termijn", "Next deadline"),
    "work_no_deadline": ("Geen termijn", "No deadline"),
    "work_sorted": ("gesorteerd op {column}, {direction}", "sorted by {column}, {direction}"),
    "sort_ascending": ("oplopend", "ascending"),
    "sort_descending": ("aflopend", "descending"),
    "work_sorted_by_reference": ("referentie", "reference"),
    "work_sorted_by_address": ("adres", "address"),
    "work_sorted_by_category": ("soort schade", "kind of damage"),
    "work_sorted_by_status": ("status", "status"),
    "work_sorted_by_deadline": (
        "volgende termijn (acute zaken eerst)",
        "next deadline (acute cases first)",
    ),
    "work_sorted_by_assignee": ("behandelaar", "handled by"),
    "work_sorted_by_reported": ("datum van melding", "date reported"),
    "work_sort_refused": (
        "Op die kolom kan de lijst niet gesorteerd worden. Hij staat daarom op volgende termijn.",
        "The list cannot be sorted by that column, so it is sorted by next deadline.",
    ),
    "tenant_news": ("Nieuw van huurder", "New from tenant"),
    "erasure_badge": ("Verwijderen uiterlijk {date}", "Erase by {date}"),
    "acute_badge": ("Acuut", "Acute"),
    "deadline_on_time": ("Op tijd", "On time"),
    "deadline_at_risk": ("Bijna te laat", "At risk"),
    "deadline_breached": ("Te laat", "Overdue"),
    "stage_acknowledge": ("Oppakken uiterlijk", "Acknowledge by"),
    "stage_inspect": ("Inspecteren uiterlijk", "Inspect by"),
    "stage_resolve": ("Afhandelen uiterlijk", "Resolve by"),
    "skip_to_content": ("Naar de inhoud", "Skip to content"),
    "staff_menu": ("Menu", "Menu"),
    "back_to_work": ("Terug naar de werkvoorraad", "Back to the work queue"),
    "forbidden_title": ("Geen toegang", "No access"),
    "forbidden_text": (
        "Uw rol geeft geen toegang tot deze pagina.",
        "Your role does not give access to this page.",
    ),
    "bad_request_title": ("Dat begrijpen we niet", "We do not understand that"),
    "bad_request_text": (
        "De link of het formulier bevat iets wat we niet kunnen lezen. Ga terug en probeer het "
        "opnieuw.",
        "The link or the form holds something we cannot read. Go back and try again.",
    ),
    "form_expired_title": ("Formulier verlopen", "Form expired"),
    "form_expired_text": (
        "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw en "
        "probeer het nog eens.",
        "This form has expired or does not come from this site. Reload the page and try again.",
    ),
    "form_too_large_title": ("Formulier te groot", "Form too large"),
    "form_too_large_text": (
        "Wat u verstuurde is groter dan we aannemen. Stuurde u foto's mee? Een foto mag "
        "hoogstens 15 MB zijn, een PDF 25 MB. Kies minder of kleinere bestanden, of maak uw "
        "tekst korter, en probeer het opnieuw.",
        "What you sent is larger than we accept. Did you send photos? A photo may be 15 MB at "
        "most, a PDF 25 MB. Choose fewer or smaller files, or shorten your text, and try again.",
    ),
    "headers_too_large_title": ("Verzoek te groot", "Request too large"),
    "headers_too_large_text": (
        "Uw browser stuurde te veel gegevens mee, zoals cookies. Wis de cookies van deze site "
        "en probeer het opnieuw.",
        "Your browser sent too much along, such as cookies. Clear the cookies of this site "
        "and try again.",
    ),
    "case_not_found_title": ("Zaak niet gevonden", "Case not found"),
    "case_not_found_text": (
        "Deze zaak bestaat niet of valt buiten uw corporatie.",
        "This case does not exist or belongs to another corporation.",
    ),
    # Case page texts
    "case_title": ("Zaak", "Case"),
    # The case page printed as a dossier (the print stylesheet in site.css)
    "print_dossier": ("Dossier van een schademelding", "Damage report file"),
    "print_dossier_state": (
        "Gegevens van {moment}, afgedrukt door {name}",
        "As of {moment}, printed by {name}",
    ),
    "change_saved": ("Opgeslagen.", "Saved."),
    "stale_title": (
        "Iemand anders heeft deze zaak intussen gewijzigd.",
        "Someone else changed this case in the meantime.",
    ),
    "stale_text": (
        "Uw wijziging is niet opgeslagen. Hieronder ziet u de zaak zoals hij nu is; wat u "
        "invulde staat nog in het formulier. Controleer de zaak en probeer het opnieuw.",
        "Your change was not saved. Below is the case as it is now; what you entered is still "
        "in the form. Check the case and try again.",
    ),
    "change_not_possible": (
        "Dat kan niet in de huidige status van de zaak.",
        "That is not possible in the case's current status.",
    ),
    "actions": ("Acties", "Actions"),
    "no_actions": (
        "Er is nu niets te doen aan deze zaak.",
        "There is nothing to do on this case now.",
    ),
    "move_to_acknowledged": ("Oppakken", "Acknowledge"),
    "move_to_inspection_planned": ("Inspectie plannen", "Plan the inspection"),
    "move_again_inspection_planned": ("Inspectie opnieuw plannen", "Re-plan the inspection"),
    "move_to_inspected": ("Geïnspecteerd", "Inspected"),
    "move_to_repair_planned": ("Herstel plannen", "Plan the repair"),
    "move_again_repair_planned": ("Herstel opnieuw plannen", "Re-plan the repair"),
    "move_to_referred": ("Doorzetten naar IMG of NCG", "Refer to IMG or NCG"),
    "move_to_on_hold": ("In de wacht zetten", "Put on hold"),
    "move_to_resolved": ("Afronden: schade hersteld", "Resolve: damage repaired"),
    "move_to_closed": ("Afsluiten", "Close"),
    "move_to_rejected": ("Afwijzen", "Reject"),
    "confirm_resolved": (
        "Weet u zeker dat de schade is hersteld?",
        "Are you sure the damage has been repaired?",
    ),
    "confirm_resolved_consequence": (
        "Hersteld op {date}. De huurder krijgt bericht en kan binnen {days} dagen het herstel "
        "bevestigen of de melding heropenen. Daarna wordt de zaak gesloten.",
        "Repaired on {date}. The tenant is told and can confirm the repair or reopen the "
        "report within {days} days. After that the case is closed.",
    ),
    "confirm_yes_resolved": ("Ja, afronden als hersteld", "Yes, resolve as repaired"),
    "confirm_rejected": (
        "Weet u zeker dat u deze melding wilt afwijzen?",
        "Are you sure you want to reject this report?",
    ),
    "confirm_rejected_consequence": (
        "De zaak wordt gesloten en de huurder ziet dat de melding is afgewezen.",
        "The case is closed and the tenant sees that the report was not accepted.",
    ),
    "confirm_yes_rejected": ("Ja, afwijzen", "Yes, reject"),
    "confirm_cancel": ("Nee, terug naar de zaak", "No, back to the case"),
    # The tenant's request for erasure on the case page (service/privacy/erasure.py).
    "case_erasure_due": (
        "Verzoek om verwijdering, uiterlijk {date}",
        "Request for erasure, by {date}",
    ),
    "case_erasure_explain": (
        "De huurder vraagt om verwijdering van de persoonsgegevens (artikel 17 AVG). Voer dit "
        "uiterlijk op deze dag uit.",
        "The tenant asks for erasure of their personal data (article 17 GDPR). Carry it out "
        "by this day at the latest.",
    ),
    "erase_button": ("Gegevens verwijderen", "Erase the data"),
    "confirm_erase": (
        "Weet u zeker dat u de persoonsgegevens wilt verwijderen?",
        "Are you sure you want to erase the personal data?",
    ),
    "confirm_erase_consequence": (
        "Naam, contactgegevens, adres (op de eerste vier cijfers van de postcode na), "
        "beschrijving, berichten, notities, foto's en documenten worden verwijderd, en de link "
        "van de huurder werkt niet meer. Een open zaak wordt afgewezen als ingetrokken, of "
        "gesloten als de schade al is hersteld. Dit kan niet ongedaan worden gemaakt.",
        "Name, contact details, address (except the first four digits of the postcode), "
        "description, messages, notes, photos and documents are erased, and the tenant's link "
        "stops working. An open case is rejected as withdrawn, or closed if the damage has "
        "been repaired. This cannot be undone.",
    ),
    "confirm_yes_erase": ("Ja, verwijder de gegevens", "Yes, erase the data"),
    "erased_notice": (
        "De persoonsgegevens zijn verwijderd.",
        "The personal data have been erased.",
    ),
    "case_anonymised": (
        "Persoonsgegevens verwijderd op {date}.",
        "Personal data erased on {date}.",
    ),
    "move_to_new": ("Terug naar nieuw", "Back to new"),
    "move_to_unrouted": ("Terug naar triage", "Back to triage"),
    "route_in_triage": (
        "Doorsturen naar een corporatie gaat via de triage",
        "Route it to a corporation on the triage page",
    ),
    "move_resume": ("Verder met de behandeling", "Resume handling"),
    "move_reopen": ("Heropenen", "Reopen"),
    "planned_at": ("Datum en tijd van het bezoek", "Date and time of the visit"),
    "visited_on": ("Datum van het bezoek", "Date of the visit"),
    "repaired_on": ("Datum van het herstel", "Date of the repair"),
    "referred_to": ("Doorgezet naar", "Referred to"),
    "external_reference": ("Kenmerk bij IMG of NCG", "Reference at IMG or NCG"),
    "reason": ("Reden", "Reason"),
    "rejection_reason": ("Reden van afwijzing", "Reason for rejection"),
    "reason_not_damage": ("Geen schade", "Not damage"),
    "reason_duplicate": ("Dubbele melding", "Duplicate report"),
    "reason_not_our_home": ("Niet onze woning", "Not our home"),
    "reason_withdrawn": ("Ingetrokken door de melder", "Withdrawn by the reporter"),
    "reason_bag_id": ("Gevonden op BAG-id", "Found by BAG id"),
    "reason_address": ("Gevonden op adres", "Found by address"),
    "reason_no_match": (
        "Adres niet gevonden in het woningbestand van een corporatie",
        "Address not found in any corporation's register of homes",
    ),
    "reason_manual": ("Handmatig doorgestuurd", "Routed by hand"),
    "reason_transfer": ("Overgedragen", "Transferred"),
    "reason_findings": ("Volgens de inspectie", "According to the inspection"),
    "duplicate_of": ("Dubbel van", "Duplicate of"),
    "duplicate_of_hint": (
        "Alleen bij een dubbele melding: de referentie van de eerste, zoals SCH-2026-000042.",
        "Only for a duplicate: the reference of the first report, like SCH-2026-000042.",
    ),
    "note_optional": ("Notitie (niet verplicht)", "Note (optional)"),
    "record_findings": ("Bevindingen vastleggen", "Record findings"),
    "findings_mark_inspected": (
        "Met de bevindingen staat de zaak op geïnspecteerd. Vul minstens één schade in.",
        "Recording the findings marks the case inspected. Fill in at least one damage item.",
    ),
    "damage_item": ("Schade", "Damage item"),
    "item_location": ("Plaats (zoals woonkamer)", "Location (like living room)"),
    "item_kind": ("Soort (zoals scheur)", "Kind (like crack)"),
    "item_damage_class": ("Schadeklasse (0 tot 5)", "Damage class (0 to 5)"),
    "damage_class_shown": ("schadeklasse {value}", "damage class {value}"),
    "crack_width_shown": ("scheurbreedte {value} mm", "crack width {value} mm"),
    "actor_tenant": ("huurder", "tenant"),
    "actor_system": ("systeem", "system"),
    "item_crack_width_mm": ("Scheurbreedte in mm", "Crack width in mm"),
    "item_description": ("Toelichting", "Explanation"),
    "earthquake_cause": (
        "Komt de schade door aardbevingen?",
        "Is the damage caused by earthquakes?",
    ),
    "cause_likely": ("Waarschijnlijk wel", "Likely"),
    "cause_unlikely": ("Waarschijnlijk niet", "Unlikely"),
    "cause_unknown": ("Nog niet bekend", "Not known yet"),
    "findings_acute": ("Acuut onveilig", "Acutely unsafe"),
    "findings_summary": ("Samenvatting", "Summary"),
    "case_facts": ("Zaak", "Case"),
    "urgency": ("Urgentie", "Urgency"),
    "urgency_acute": ("Acuut", "Acute"),
    "urgency_high": ("Hoog", "High"),
    "urgency_normal": ("Normaal", "Normal"),
    "corporation": ("Corporatie", "Corporation"),
    "no_corporation": ("Nog geen", "None yet"),
    "assignee": ("Behandelaar", "Handled by"),
    "nobody": ("Niemand", "Nobody"),
    "assign": ("Toewijzen", "Assign"),
    "transfer": ("Overdragen aan een andere corporatie", "Transfer to another corporation"),
    "transfer_to": ("Naar corporatie", "To corporation"),
    "transfer_reason": ("Waarom hoort deze zaak daar?", "Why does this case belong there?"),
    "error_corporation": (
        "Kies een corporatie uit de lijst.",
        "Choose a corporation from the list.",
    ),
    "take_case": ("Aan mij toewijzen", "Assign to me"),
    "release_case": ("Vrijgeven", "Release"),
    "planned_visit": ("Gepland bezoek", "Planned visit"),
    "on_hold_since": ("In de wacht sinds", "On hold since"),
    "deadlines": ("Termijnen", "Deadlines"),
    "stage": ("Stap", "Step"),
    "due": ("Uiterlijk", "Due"),
    "deadline_state": ("Op tijd?", "On time?"),
    "done_on": ("gedaan op", "done on"),
    "deadline_none": ("geldt nu niet", "does not apply now"),
    "home_and_reporter": ("Woning en melder", "Home and reporter"),
    "address": ("Adres", "Address"),
    "contact_masked": (
        "Met uw rol ziet u maar een deel van de contactgegevens van de melder.",
        "Your role shows you only part of the reporter's contact details.",
    ),
    "reporter_description": ("Beschrijving van de melder", "The reporter's description"),
    "findings": ("Bevindingen", "Findings"),
    "similar_cases": ("Mogelijk dezelfde schade", "Possibly the same damage"),
    "similar_same_address": (
        "Andere open meldingen voor deze woning (laatste 180 dagen)",
        "Other open reports for this home (last 180 days)",
    ),
    "similar_same_postcode": (
        "Open meldingen van dezelfde soort in deze postcode",
        "Open reports of the same kind in this postcode",
    ),
    "highest_class": ("Hoogste schadeklasse", "Highest damage class"),
    "add_note": ("Notitie toevoegen", "Add a note"),
    "note_text": ("Notitie", "Note"),
    "visibility": ("Wie mag dit lezen?", "Who may read this?"),
    "visibility_internal": ("Alleen collega's", "Colleagues only"),
    "visibility_tenant": (
        "Ook de huurder (op de volgpagina)",
        "The tenant too (on the tracking page)",
    ),
    "seen_by_tenant": ("zichtbaar voor huurder", "seen by tenant"),
    "event_reported": ("Gemeld", "Reported"),
    "event_routed": ("Doorgestuurd", "Routed"),
    "event_unrouted": ("Geen corporatie gevonden", "No corporation found"),
    "event_status_changed": ("Status gewijzigd", "Status changed"),
    "event_assigned": ("Behandelaar gewijzigd", "Assignee changed"),
    "event_transferred": ("Overgedragen", "Transferred"),
    "event_note": ("Notitie", "Note"),
    "event_findings_recorded": ("Bevindingen vastgelegd", "Findings recorded"),
    "event_urgency_changed": ("Urgentie gewijzigd", "Urgency changed"),
    "event_tenant_message": ("Aanvulling van de huurder", "Addition from the tenant"),
    "event_other": ("Gewijzigd", "Changed"),
    "event_attachment_added": ("Bijlage toegevoegd", "Attachment added"),
    "event_attachment_removed": ("Bijlage verwijderd", "Attachment removed"),
    "event_attachment_added_photo": ("Foto toegevoegd", "Photo added"),
    "event_attachment_removed_photo": ("Foto verwijderd", "Photo removed"),
    "event_attachment_added_document": ("Document toegevoegd", "Document added"),
    "event_attachment_removed_document": ("Document verwijderd", "Document removed"),
    "event_erasure_requested": (
        "Huurder vraagt om verwijdering van gegevens",
        "Tenant asks for erasure of their data",
    ),
    "event_anonymised": ("Persoonsgegevens verwijderd", "Personal data removed"),
    "added_by_tenant_detail": ("Door", "By"),
    "the_tenant": ("de huurder", "the tenant"),
    "attachment_title": ("Titel", "Title"),
    "photo_of_item": ("Foto van", "Photo of"),
    # Photos and documents: the tenant's pages (B1)
    "photos_label": ("Foto's van de schade (niet verplicht)", "Photos of the damage (optional)"),
    "photos_hint": (
        "Hoogstens 10 foto's. Als JPEG, PNG, WebP of HEIC, elk tot 15 MB.",
        "Up to 10 photos. As JPEG, PNG, WebP or HEIC, each up to 15 MB.",
    ),
    "photos_choose_again": (
        "Kies uw foto's opnieuw. Uw browser kan ze niet bewaren als het formulier terugkomt.",
        "Choose your photos again. Your browser cannot keep them when the form comes back.",
    ),
    "photos_added_one": ("Uw foto is toegevoegd.", "Your photo has been added."),
    "photos_added_many": (
        "Uw foto's zijn toegevoegd: {count} foto's.",
        "Your photos have been added: {count} photos.",
    ),
    "photos_added_notice": ("Uw foto's zijn toegevoegd.", "Your photos have been added."),
    "photos_refused": (
        "Deze foto's zijn niet toegevoegd:",
        "These photos have not been added:",
    ),
    "photo_not_usable": (
        "dit is geen foto die wij kunnen gebruiken. Stuur een foto als JPEG, PNG, WebP of HEIC.",
        "this is not a photo we can use. Send a photo as JPEG, PNG, WebP or HEIC.",
    ),
    "photo_too_large": (
        "de foto is groter dan 15 MB. Kies een kleinere foto.",
        "the photo is larger than 15 MB. Choose a smaller photo.",
    ),
    "photo_no_room": (
        "er kunnen geen foto's meer bij deze melding. Een melding heeft hoogstens 10 foto's.",
        "no more photos can be added to this report. A report has 10 photos at most.",
    ),
    "photo_not_added": (
        "dit lukte niet. Probeer het later opnieuw.",
        "this did not work. Please try again later.",
    ),
    "photos_later": (
        "U kunt later nog foto's toevoegen op de pagina van uw melding.",
        "You can add photos later on the page of your report.",
    ),
    "photos_already_sent": (
        "Deze melding was al verstuurd. Uw foto's zijn niet nog een keer toegevoegd. Op de "
        "pagina van uw melding ziet u welke foto's erbij zijn.",
        "This report had already been sent. Your photos have not been added again. The page "
        "of your report shows which photos it has.",
    ),
    "photos_heading": ("Foto's en documenten", "Photos and documents"),
    "photo_alt_tenant": ("Foto {number} van uw melding", "Photo {number} of your report"),
    "photo_by_you": ("Door u toegevoegd", "Added by you"),
    "photo_by_corporation": ("Van de woningcorporatie", "From the corporation"),
    "remove_photo": ("Foto {number} verwijderen", "Remove photo {number}"),
    "photo_removed": ("De foto is verwijderd.", "The photo has been removed."),
    "documents_heading": ("Documenten", "Documents"),
    "document": ("Document", "Document"),
    "download_pdf": ("PDF, downloaden", "PDF, download"),
    "add_photos_label": ("Kies een of meer foto's", "Choose one or more photos"),
    "add_photos": ("Foto's toevoegen", "Add photos"),
    # Photos and documents: the staff case page
    "attachments_heading": ("Foto's en documenten", "Photos and documents"),
    "no_attachments": ("Nog geen foto's of documenten.", "No photos or documents yet."),
    "staff_photo_alt": ("Foto {number} bij {reference}", "Photo {number} of {reference}"),
    "added_by": ("Toegevoegd door", "Added by"),
    "visible_to_tenant_yes": ("Zichtbaar voor huurder", "Seen by the tenant"),
    "visible_to_tenant_no": ("Alleen intern", "Internal only"),
    "finding_item": (
        "bevinding van {date}, item {position}: {location}, {kind}",
        "finding of {date}, item {position}: {location}, {kind}",
    ),
    "visited_on_shown": ("Bezoek op {date}", "Visit on {date}"),
    "recorded_on_shown": ("vastgelegd {time}", "recorded {time}"),
    "open_full_size": ("ware grootte", "full size"),
    "add_attachment": ("Foto of document toevoegen", "Add a photo or document"),
    "attachment_file": ("Bestand", "File"),
    "attachment_file_hint": (
        "Een foto (JPEG, PNG, WebP of HEIC, tot 15 MB) of een PDF (tot 25 MB).",
        "A photo (JPEG, PNG, WebP or HEIC, up to 15 MB) or a PDF (up to 25 MB).",
    ),
    "attachment_title_optional": (
        "Titel van een document (niet verplicht)",
        "Title of a document (optional)",
    ),
    "attachment_visible": ("Zichtbaar voor huurder", "Visible to the tenant"),
    "attachment_item": ("Foto van schade-item (niet verplicht)", "Photo of damage item (optional)"),
    "attachment_no_item": ("Geen bepaald item", "No particular item"),
    "attachment_save": ("Toevoegen", "Add"),
    "attachment_remove": ("Verwijderen", "Remove"),
    "attachment_remove_confirm": ("Ja, definitief verwijderen", "Yes, remove for good"),
    "attachment_remove_warning": (
        "Het bestand wordt verwijderd en is daarna niet meer terug te halen.",
        "The file is deleted and cannot be brought back.",
    ),
    "attachment_added_notice": ("Het bestand is toegevoegd.", "The file has been added."),
    "attachment_removed_notice": ("Het bestand is verwijderd.", "The file has been removed."),
    "error_file": ("Kies een bestand.", "Choose a file."),
    "file_not_usable": (
        "Dit bestand kunnen we niet gebruiken. Kies een foto (JPEG, PNG, WebP of HEIC) of een "
        "PDF zonder wachtwoord.",
        "We cannot use this file. Choose a photo (JPEG, PNG, WebP or HEIC) or a PDF without "
        "a password.",
    ),
    "file_too_large": (
        "Het bestand is te groot: een foto mag hoogstens 15 MB zijn, een PDF 25 MB.",
        "The file is too large: a photo may be 15 MB at most, a PDF 25 MB.",
    ),
    "error_title": ("Een titel heeft hoogstens 200 tekens.", "A title has 200 characters at most."),
    "error_visible_to_tenant": ("Kies ja of nee.", "Choose yes or no."),
    "error_finding_id": (
        "Alleen een foto kan bij een schade-item horen.",
        "Only a photo can show a damage item.",
    ),
    "error_damage_item": (
        "Kies een schade-item uit de lijst.",
        "Choose a damage item from the list.",
    ),
    "error_planned_at": (
        "Kies een datum en tijd, tussen een week geleden en twee jaar vooruit.",
        "Choose a date and time, between a week ago and two years ahead.",
    ),
    "error_visited_on": (
        "Kies de dag van het bezoek: niet na vandaag en niet voor de dag van de melding.",
        "Choose the day of the visit: not after today and not before the day of the report.",
    ),
    "error_repaired_on": (
        "Kies de dag van het herstel: niet na vandaag en niet voor de dag van de melding.",
        "Choose the day of the repair: not after today and not before the day of the report.",
    ),
    "error_referred_to": ("Kies IMG of NCG.", "Choose IMG or NCG."),
    "error_external_reference": (
        "Vul het kenmerk in (hooguit 100 tekens).",
        "Enter the reference (100 characters at most).",
    ),
    "error_reason": (
        "Geef een reden (hooguit 2000 tekens).",
        "Give a reason (2000 characters at most).",
    ),
    "error_duplicate_of": (
        "Geef de referentie van een andere zaak, zoals SCH-2026-000042.",
        "Give the reference of another case, like SCH-2026-000042.",
    ),
    "error_note": ("Een notitie is hooguit 2000 tekens.", "A note is 2000 characters at most."),
    "error_to": ("Kies een actie.", "Choose an action."),
    "error_form": ("Dit formulier kennen we niet.", "We do not know this form."),
    "error_items": ("Vul minstens één schade in.", "Fill in at least one damage item."),
    "error_location": ("Vul de plaats in.", "Enter the location."),
    "error_kind": ("Vul de soort schade in.", "Enter the kind of damage."),
    "error_damage_class": (
        "Een schadeklasse is een getal van 0 tot 5.",
        "A damage class is a number from 0 to 5.",
    ),
    "error_crack_width_mm": (
        "Een scheurbreedte is een getal in millimeters.",
        "A crack width is a number in millimetres.",
    ),
    "error_description": ("Hooguit 2000 tekens.", "2000 characters at most."),
    "error_earthquake_cause": ("Kies een antwoord.", "Choose an answer."),
    "error_summary": ("Hooguit 5000 tekens.", "5000 characters at most."),
    "error_text": (
        "Vul de notitie in (hooguit 5000 tekens).",
        "Enter the note (5000 characters at most).",
    ),
    "error_visibility": ("Kies wie de notitie mag lezen.", "Choose who may read the note."),
    "error_assignee_id": (
        "Deze collega kan de zaak niet krijgen.",
        "This colleague cannot take the case.",
    ),
    # Triage page texts
    "triage_title": ("Triage", "Triage"),
    "triage_intro": (
        "Meldingen voor woningen waarvan we de eigenaar niet kennen. Stuur elke melding door "
        "naar de corporatie die eigenaar is.",
        "Reports for homes whose owner we do not know. Route each one to the corporation "
        "that owns the home.",
    ),
    "triage_empty": (
        "Er wachten geen meldingen op doorsturen.",
        "No cases are waiting to be routed.",
    ),
    "triage_more_waiting": (
        "Hier staan de eerste {count}. Na doorsturen verschijnen de volgende.",
        "These are the first {count}. The next ones appear once these are routed.",
    ),
    "triage_address_given": ("Adres zoals opgegeven", "Address as given"),
    # Why a case waits, in its row: what the tenant gave is not in any corporation's register.
    "triage_why_address": ("Adres niet in het register", "Address not in the register"),
    "triage_why_bag_id": ("BAG-id niet in het register", "BAG id not in the register"),
    "triage_why_nothing": ("Geen adres opgegeven", "No address given"),
    "triage_suggested": ("voorstel: {corporation}", "suggested: {corporation}"),
    "triage_open_case": ("Zaak {reference} bekijken", "View case {reference}"),
    "triage_bag_id": ("BAG-id {bag_id}", "BAG id {bag_id}"),
    "triage_suggestions": ("Voorgestelde corporaties", "Suggested corporations"),
    "triage_no_suggestions": (
        "Geen voorstel: geen corporatie heeft woningen in deze buurt.",
        "No suggestion: no corporation owns homes nearby.",
    ),
    "triage_route_to": ("Naar {corporation}", "Route to {corporation}"),
    "triage_home_in_postcode": ("1 woning in deze postcode", "1 home in this postcode"),
    "triage_homes_in_postcode": (
        "{count} woningen in deze postcode",
        "{count} homes in this postcode",
    ),
    "triage_home_in_area": ("1 woning in postcodegebied {area}", "1 home in postcode area {area}"),
    "triage_homes_in_area": (
        "{count} woningen in postcodegebied {area}",
        "{count} homes in postcode area {area}",
    ),
    "triage_register": (
        "Zet deze woning ook in het register van die corporatie",
        "Also add this home to that corporation's register",
    ),
    "triage_register_hint": (
        "Volgende meldingen voor dit adres gaan dan vanzelf naar de corporatie. Vul dan ook "
        "straat en plaats in.",
        "Later reports for this address then go to the corporation by themselves. Then also "
        "enter street and city.",
    ),
    "triage_street": ("Straat (om te registreren)", "Street (to register)"),
    "triage_city": ("Plaats (om te registreren)", "City (to register)"),
    "triage_already_registered": (
        "Deze woning staat al in het register. Stuur de melding door zonder te registreren.",
        "This home is in the register already. Route the report without registering it.",
    ),
    "triage_other_corporation": ("Andere corporatie", "Other corporation"),
    "triage_choose": ("Kies een corporatie", "Choose a corporation"),
    "triage_route": ("Doorsturen", "Route"),
    "triage_routed": (
        "{reference} is doorgestuurd naar {corporation}.",
        "{reference} has been routed to {corporation}.",
    ),
    "triage_changed_meanwhile": (
        "Iemand anders heeft {reference} intussen gewijzigd; de status is nu: {status}. "
        "Er is niets overschreven. Bekijk de zaak en kies opnieuw.",
        "Someone else changed {reference} in the meantime; its status is now: {status}. "
        "Nothing was overwritten. Check the case and choose again.",
    ),
    # A routing that failed: the notice at the top names the case, each error links to its field.
    "triage_not_routed": (
        "{reference} is nog niet doorgestuurd.",
        "{reference} has not been routed yet.",
    ),
    "triage_error_for": ("{reference}: {error}", "{reference}: {error}"),
    "triage_go_to_case": ("Naar {reference} in de lijst", "Go to {reference} in the list"),
    "triage_error_corporation": (
        "Kies een corporatie uit de lijst.",
        "Choose a corporation from the list.",
    ),
    "triage_error_add_to_portfolio": (
        "Deze melding heeft geen postcode en huisnummer, dus de woning kan niet in het "
        "register. Stuur de melding door zonder te registreren.",
        "This report has no postcode and house number, so the home cannot be registered. "
        "Route the report without registering it.",
    ),
    "triage_error_street": (
        "Vul de straat in om de woning te registreren (hooguit 200 tekens).",
        "Enter the street to register the home (200 characters at most).",
    ),
    "triage_error_city": (
        "Vul de plaats in om de woning te registreren (hooguit 100 tekens).",
        "Enter the city to register the home (100 characters at most).",
    ),
    "triage_bad_form": (
        "Dit formulier was niet compleet. Laad de pagina opnieuw en probeer het nog eens.",
        "This form was incomplete. Reload the page and try again.",
    ),
    # Address lookup on the report form; {corporation} is filled in by address-lookup.js.
    "address_lookup_owner": (
        "Deze woning is van {corporation}",
        "This home belongs to {corporation}",
    ),
    "address_lookup_not_found": (
        "We vinden dit adres niet in ons overzicht. Uw melding komt gewoon aan: de "
        "regiocoördinator zoekt uit welke corporatie eigenaar is.",
        "We cannot find this address in our register. Your report still goes through: the "
        "regional coordinator will find out which corporation owns the home.",
    ),
    # Dashboard page texts
    "dashboard_filter_label": ("Kies een corporatie", "Choose a corporation"),
    "dashboard_whole_region": ("Hele regio", "Whole region"),
    "dashboard_show": ("Toon cijfers", "Show figures"),
    "dashboard_resolution_title": ("Doorlooptijd tot herstel", "Time to repair"),
    "dashboard_resolution_caption": (
        "Van melding tot herstel, in dagen, voor de zaken die in de afgelopen 90 dagen zijn "
        "hersteld.",
        "From report to repair, in days, for the cases repaired in the last 90 days.",
    ),
    "dashboard_resolution_resolved": ("Hersteld", "Repaired"),
    "dashboard_resolution_p50": ("De helft binnen", "Half within"),
    "dashboard_resolution_p90": ("90% binnen", "90% within"),
    "dashboard_resolution_none": (
        "In de afgelopen 90 dagen is geen zaak hersteld.",
        "No case was repaired in the last 90 days.",
    ),
    "dashboard_title": ("Dashboard", "Dashboard"),
    "dashboard_region": ("hele regio", "whole region"),
    "dashboard_generated": ("Cijfers van {time}", "Figures as of {time}"),
    "dashboard_headlines": ("Kerncijfers", "Key figures"),
    "dashboard_open_cases": ("Open zaken", "Open cases"),
    "dashboard_acute_waiting": ("Acuut, nog niet opgepakt", "Acute, not yet acknowledged"),
    "dashboard_unrouted": ("Wacht op triage", "Awaiting triage"),
    "dashboard_unrouted_oldest": ("oudste gemeld {time}", "oldest reported {time}"),
    "dashboard_breached": ("Termijn verstreken", "Past a deadline"),
    "dashboard_reported_this_week": ("Gemeld deze week", "Reported this week"),
    "dashboard_closed_this_week": ("Afgesloten deze week", "Closed this week"),
    "dashboard_unit_cases": ("zaken", "cases"),
    "dashboard_table": ("Cijfers als tabel", "Figures as a table"),
    "dashboard_count": ("Aantal", "Number"),
    "dashboard_no_open_cases": ("Er zijn geen open zaken.", "There are no open cases."),
    "dashboard_weekly_title": ("Gemeld en afgesloten per week", "Reported and closed per week"),
    "dashboard_weekly_caption": (
        "Nieuwe meldingen en afgeronde zaken (afgesloten of afgewezen), per week.",
        "New reports and finished cases (closed or rejected), per week.",
    ),
    "dashboard_weekly_summary": (
        "Laatste {weeks} weken: {reported} gemeld, {closed} afgesloten.",
        "Last {weeks} weeks: {reported} reported, {closed} closed.",
    ),
    "dashboard_reported": ("Gemeld", "Reported"),
    "dashboard_closed": ("Afgesloten", "Closed"),
    "dashboard_week": ("Week", "Week"),
    "dashboard_week_short": ("wk {number}", "wk {number}"),
    "dashboard_week_from": ("week {number}, vanaf {day}", "week {number}, from {day}"),
    "dashboard_deadlines_title": ("Termijnen per stap", "Deadlines per step"),
    "dashboard_deadlines_caption": (
        "Open zaken per stap, en of hun eerstvolgende termijn nog gehaald wordt. Bijna te "
        "laat: het laatste vijfde deel van de termijn is begonnen.",
        "Open cases by the state of their next deadline. At risk: in the last fifth of the window.",
    ),
    "dashboard_deadlines_row": (
        "{stage}: {on_time} op tijd, {at_risk} bijna te laat, {breached} te laat",
        "{stage}: {on_time} on time, {at_risk} at risk, {breached} overdue",
    ),
    "dashboard_stage_acknowledge": ("Oppakken", "Acknowledge"),
    "dashboard_stage_inspect": ("Inspecteren", "Inspect"),
    "dashboard_stage_resolve": ("Afhandelen", "Resolve"),
    "dashboard_status_title": ("Open zaken per status", "Open cases by status"),
    "dashboard_status": ("Status", "Status"),
    "dashboard_age_title": ("Open zaken naar leeftijd", "Open cases by age"),
    "dashboard_age_caption": ("Dagen sinds de melding.", "Days since the report."),
    "dashboard_age": ("Leeftijd", "Age"),
    "dashboard_age_0_7": ("0-7 dagen", "0-7 days"),
    "dashboard_age_8_30": ("8-30 dagen", "8-30 days"),
    "dashboard_age_31_90": ("31-90 dagen", "31-90 days"),
    "dashboard_age_91_365": ("91-365 dagen", "91-365 days"),
    "dashboard_age_over_365": ("meer dan 365 dagen", "over 365 days"),
    "dashboard_corporation_title": ("Open zaken per corporatie", "Open cases by corporation"),
    "dashboard_corporation_caption": (
        "Zaken die nog op triage wachten, staan hier niet bij.",
        "Cases still awaiting triage are not included.",
    ),
    "dashboard_acute_title": ("Acute meldingen die wachten", "Acute reports waiting"),
    "dashboard_acute_intro": (
        "Acuut en nog niet opgepakt, oudste eerst.",
        "Acute and not yet acknowledged, oldest first.",
    ),
    "dashboard_acute_none": (
        "Er wachten geen acute meldingen.",
        "No acute reports are waiting.",
    ),
    "dashboard_acute_more": (
        "Hier staan de oudste {shown} van {count}.",
        "These are the oldest {shown} of {count}.",
    ),
    "dashboard_export_title": ("Exporteren", "Export"),
    "dashboard_export_intro": (
        "Alle zaken ({scope}), open en afgerond, zonder gegevens van melders.",
        "All cases ({scope}), open and finished, without reporters' details.",
    ),
    "dashboard_export_csv": ("CSV downloaden", "Download CSV"),
    "dashboard_export_excel": ("Downloaden voor Excel (NL)", "Download for Excel (NL)"),
    # Throttling: {wait} is "45 seconden", "3 minuten" (wait_words).
    "too_many_title": ("Even geduld", "Please wait"),
    "too_many_text": (
        "Er kwamen in korte tijd erg veel verzoeken van uw internetadres. Probeer het over "
        "{wait} opnieuw.",
        "Very many requests came from your internet address in a short time. Try again in {wait}.",
    ),
    "report_wait": (
        "Er kwamen in korte tijd erg veel meldingen van uw internetadres. Uw melding is nog "
        "niet verstuurd; wat u invulde staat hieronder. Verstuur hem over {wait} opnieuw.",
        "Very many reports came from your internet address in a short time. Your report has "
        "not been sent yet; what you filled in is below. Send it again in {wait}.",
    ),
    "sign_in_wait": (
        "Te veel mislukte pogingen om in te loggen. Probeer het over {wait} opnieuw.",
        "Too many failed attempts to sign in. Try again in {wait}.",
    ),
    "unavailable_title": ("Even niet beschikbaar", "Temporarily unavailable"),
    "unavailable_text": (
        "We kunnen dit nu even niet verwerken. Probeer het over een minuut opnieuw.",
        "We cannot handle this right now. Please try again in a minute.",
    ),
    "exports_busy_title": ("Te veel exports tegelijk", "Too many exports at once"),
    "exports_busy_text": (
        "Er worden nu al andere exports gemaakt. Probeer het over een minuut opnieuw.",
        "Other exports are being made right now. Please try again in a minute.",
    ),
    "not_found_title": ("Melding niet gevonden", "Report not found"),
    "page_not_found_title": ("Pagina niet gevonden", "Page not found"),
    "page_not_found_text": (
        "Deze pagina bestaat niet. Misschien is het adres niet helemaal goed overgenomen.",
        "This page does not exist. Perhaps the address was not copied completely.",
    ),
    "to_start_page": ("Naar de startpagina", "To the start page"),
    "not_found_text": (
        "Controleer of u de volledige link uit uw bevestiging gebruikt.",
        "Check that you used the complete link from your confirmation.",
    ),
    "not_found_lost_link": (
        "Werkt uw link niet, of bent u hem kwijt? Vraag uw links opnieuw aan.",
        "Does your link not work, or did you lose it? Ask for your links again.",
    ),
    "lost_link_title": ("Link kwijt?", "Lost your link?"),
    "lost_link_intro": (
        "Vul het e-mailadres in dat u bij uw melding gaf. Wij sturen u dan een e-mail met "
        "een link naar elke melding die u met dit adres deed.",
        "Enter the e-mail address you gave with your report. We will send you an e-mail with "
        "a link to each report you made with this address.",
    ),
    "lost_link_submit": ("Stuur mij mijn links", "Send me my links"),
    "lost_link_bad_email": (
        "Dit is geen e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl.",
        "This is not an e-mail address. An e-mail address looks like name@example.com.",
    ),
    "lost_link_sent": (
        "Als er meldingen zijn gedaan met dit e-mailadres, hebben wij een e-mail gestuurd met "
        "een link naar elke melding. Het kan een paar minuten duren voordat die aankomt.",
        "If reports were made with this e-mail address, we have sent an e-mail with a link "
        "to each of them. It can take a few minutes to arrive.",
    ),
    "lost_link_not_arrived": (
        "Geen e-mail ontvangen? Kijk ook in uw map met ongewenste e-mail. Gaf u bij uw "
        "melding alleen een telefoonnummer? Dan kunnen wij u geen links sturen.",
        "No e-mail? Check your spam folder too. Did you give only a phone number with your "
        "report? Then we cannot send you links.",
    ),
}

# Messages next to a form field that is not right, by field.
FIELD_ERRORS: dict[str, tuple[str, str]] = {
    "category": ("Kies wat er beschadigd is.", "Choose what is damaged."),
    "description": (
        "Beschrijf de schade in een paar woorden: minstens 10 tekens, hooguit 5000. "
        "Bijvoorbeeld: scheur boven de voordeur.",
        "Describe the damage in a few words: at least 10 characters, at most 5000. "
        "For example: crack above the front door.",
    ),
    "postcode": (
        "Vul een geldige postcode in, zoals 9711 AB.",
        "Enter a valid postcode, like 9711 AB.",
    ),
    "house_number": (
        "Vul een huisnummer in, zoals 12, 12a of 12-2.",
        "Enter a house number, like 12, 12a or 12-2.",
    ),
    "house_letter": (
        "Een huisletter is één letter, zoals A.",
        "A house letter is one letter, like A.",
    ),
    "addition": (
        "Een toevoeging is hooguit 4 letters of cijfers.",
        "An addition is at most 4 letters or digits.",
    ),
    "house_letter_conflict": (
        "In het huisnummer staat een andere huisletter. Vul de huisletter op één plek in.",
        "The house number has a different house letter. Fill in the house letter in one place.",
    ),
    "addition_conflict": (
        "In het huisnummer staat een andere toevoeging. Vul de toevoeging op één plek in.",
        "The house number has a different addition. Fill in the addition in one place.",
    ),
    "name": ("Vul uw naam in.", "Enter your name."),
    "email": ("Dit is geen geldig e-mailadres.", "This is not a valid email address."),
    "phone": ("Een telefoonnummer heeft 6 tot 15 cijfers.", "A phone number has 6 to 15 digits."),
    "reporter": (
        "Vul een e-mailadres of telefoonnummer in, zodat we u kunnen bereiken.",
        "Enter an email address or phone number so we can reach you.",
    ),
}

STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.UNROUTED: ("Ontvangen", "Received"),
    Status.NEW: ("Doorgestuurd naar de corporatie", "Passed to the corporation"),
    Status.ACKNOWLEDGED: ("In behandeling", "Being handled"),
    Status.INSPECTION_PLANNED: ("Inspectie gepland", "Inspection planned"),
    Status.INSPECTED: ("Geïnspecteerd", "Inspected"),
    Status.REPAIR_PLANNED: ("Herstel gepland", "Repair planned"),
    Status.REFERRED: ("Doorgezet naar IMG of NCG", "Passed on to IMG or NCG"),
    Status.ON_HOLD: ("In de wacht", "On hold"),
    Status.RESOLVED: ("Hersteld", "Repaired"),
    Status.CLOSED: ("Afgesloten", "Closed"),
    Status.REJECTED: ("Afgewezen", "Not accepted"),
}


# The pages' words by language, made once: every page asks for them on every request.
_PAGE_TEXTS_IN = {
    language: MappingProxyType({key: texts[index] for key, texts in PAGE_TEXTS.items()})
    for index, language in enumerate(("nl", "en"))
}


def page_texts(language: str) -> Mapping[str, str]:
    """The words in English for "en", else in Dutch."""
    return _PAGE_TEXTS_IN["en" if language == "en" else "nl"]


class PageWords:
    """One language's page words as attributes: the templates' `t`.

    Jinja looks up `t.key` as an attribute first and only then as an item: on a mapping, each
    word on every page cost an AttributeError raised and caught (issue 15's profile of the
    tracking page). `t["deadline_" ~ state]` and `t.get(key, default)` work as on a mapping.
    """

    def __init__(self, words: Mapping[str, str]) -> None:
        shadowed = set(words) & set(dir(type(self)))
        if shadowed:
            raise ValueError(f"page words named like PageWords' own attributes: {shadowed}")
        self.__dict__.update(words)

    def __getitem__(self, key: str) -> str:
        return self.__dict__[key]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.__dict__.get(key, default)


_PAGE_WORDS_IN = {language: PageWords(words) for language, words in _PAGE_TEXTS_IN.items()}


def page_words(language: str) -> PageWords:
    """page_texts(language) for the templates."""
    return _PAGE_WORDS_IN["en" if language == "en" else "nl"]


# Staff name the first two steps from where they stand: the tenant's "passed to the
# corporation" is, for the corporation, a new case.
STAFF_STATUS_LABELS: dict[Status, tuple[str, str]] = STATUS_LABELS | {
    Status.UNROUTED: ("Wacht op triage", "Awaiting triage"),
    Status.NEW: ("Nieuw", "New"),
}


def status_label(status: Status, language: str) -> str:
    return STATUS_LABELS[status][1 if language == "en" else 0]


def staff_status_label(status: Status, language: str) -> str:
    return STAFF_STATUS_LABELS[status][1 if language == "en" else 0]


def case_count(count: int, language: str) -> str:
    """ "1 zaak", "1.234 zaken"; "1 case", "1,234 cases"."""
    number = f"{count:,}"
    if language == "en":
        return f"{number} {'case' if count == 1 else 'cases'}"
    return f"{number.replace(',', '.')} {'zaak' if count == 1 else 'zaken'}"


def field_error(field: str, language: str) -> str:
    return FIELD_ERRORS[field][1 if language == "en" else 0]


_UNITS = {
    "second": (("seconde", "seconden"), ("second", "seconds")),
    "minute": (("minuut", "minuten"), ("minute", "minutes")),
}


def wait_words(seconds: int, language: str) -> str:
    """A wait as a person says it: "1 seconde", "45 seconds", "3 minuten" (rounded up)."""
    count, unit = (seconds, "second") if seconds <= 90 else (math.ceil(seconds / 60), "minute")
    one, many = _UNITS[unit][1 if language == "en" else 0]
    return f"{count} {one if count == 1 else many}"
