"""Fixed Norwegian text of the report: introductions, definitions, sources and caveats."""

from __future__ import annotations

from analysis.format import PERCENT, listing
from analysis.suppress import Suppression
from analysis.survey import RATE_SCALES
from report.blocks import Bullets, Heading

AGE_INTRO = ("Tabellen under viser alders- og kjønnsfordelingen på gjerningspersonene. En person "
             "kan telles flere ganger, avhengig av antall forhold.")

SURVEY_NOTE = ("Andel = prosent av de som svarte. «Forrige måling» er siste tidligere periode som "
               "ikke overlapper (treårige gjennomsnitt sammenlignes med perioden tre år før). "
               "Tall der kilden ikke oppgir år, sammenlignes ikke over tid.")

SIDE_BY_SIDE_NOTE = ("Andel = prosent av de som svarte, for hver kommune for seg (prosenter kan "
                     "ikke legges sammen). En periode i parentes betyr at kommunens siste måling "
                     "er fra en annen periode enn radens. Tall der kilden ikke oppgir år, står på "
                     "egne rader og sammenlignes ikke over tid.")

# With figures in other units than percent, the notes above open with :func:`units_lead`.
_SHARES = "Andel = prosent av de som svarte."
_SHARES_SIDE_BY_SIDE = ("Andel = prosent av de som svarte, for hver kommune for seg (prosenter "
                        "kan ikke legges sammen).")
_EACH_ON_ITS_OWN = "Tallene gjelder hver kommune for seg (andeler og rater kan ikke legges sammen)."


def units_lead(units) -> str:
    """What each unit among ``units`` means, e.g. «Hvert tall står med sin enhet: % er prosent
    av de som svarte; «per 1 000» er en rate (antall per så mange innbyggere eller elever).»"""
    units = set(units)
    rates = sorted(units & RATE_SCALES.keys(), key=RATE_SCALES.get)
    others = sorted(units - RATE_SCALES.keys() - {PERCENT})
    parts = ["% er prosent av de som svarte"] * (PERCENT in units)
    if rates:
        what = "en rate" if len(rates) == 1 else "rater"
        parts.append(f"{listing([f'«{u}»' for u in rates])} er {what} (antall per så mange "
                     "innbyggere eller elever)")
    if others:
        parts.append(f"tall i {listing([f'«{u}»' for u in others])} står slik kilden "
                     "oppgir dem")
    return f"Hvert tall står med sin enhet: {'; '.join(parts)}."


def survey_note(units) -> str:
    """The note under the survey table; ``units``: the units of its figures."""
    units = set(units)
    lead = _SHARES if units <= {PERCENT} else units_lead(units)
    return SURVEY_NOTE.replace(_SHARES, lead)


def side_by_side_note(units) -> str:
    """The note under the kommuner side by side; ``units`` as in :func:`survey_note`."""
    units = set(units)
    lead = (_SHARES_SIDE_BY_SIDE if units <= {PERCENT}
            else f"{units_lead(units)} {_EACH_ON_ITS_OWN}")
    return SIDE_BY_SIDE_NOTE.replace(_SHARES_SIDE_BY_SIDE, lead)


APPENDIX_INTRO = ("Alle sammenligningene rapporten bygger på. p er sannsynligheten for en så stor "
                  "forskjell om ingenting hadde endret seg; justert p tar hensyn til at mange "
                  "sammenligninger er gjort samtidig. En endring kalles reell når justert p er "
                  "under 0,05. Spredning (φ) er hvor mye mer tallene svinger enn ren "
                  "tilfeldighet (1 = som Poisson). «Vurdert på» sier hvilke tall endringen er "
                  "vurdert på: antall forhold, eller antall gjerningspersoner der kilden oppgir "
                  "det (én person kan stå bak mange forhold, så antall personer svinger mindre "
                  "og gir en sikrere vurdering).")

VERSION_INTRO = ("Rapporten bygger på disse opplastingene i databasen. Med de samme filene og "
                 "kommandoen under kan rapporten lages på nytt med de samme tallene.")

DEFINITIONS = [
    "U18-forhold: straffbare forhold registrert av politiet der gjerningspersonen var under 18 år "
    "på gjerningstidspunktet. Gjerningen er begått i området; gjerningspersonen behøver ikke bo "
    "der. En person kan stå bak flere forhold.",
    "Delår: et år som er talt til og med en dato, for eksempel «2024 (pr. 01.08)». Et delår "
    "sammenlignes bare med samme periode av tidligere år, eller omregnes til helt år med "
    "metoden oppgitt i setningen — aldri med et helt år som om de var like.",
    "Reell økning/nedgang: endringen er større enn den variasjonen tallene faktisk har fra år "
    "til år kan forklare. Politiets tall teller forhold, og én ung person kan stå bak mange: "
    "tallene svinger derfor mer enn om hvert forhold var en uavhengig hendelse. Hvor mye mer, "
    "anslås fra regionens egne tall i årene før (totalen, kjønn og alder samlet, krimtypene for "
    "seg), og aldri mindre enn ren tilfeldighet (Poisson). «Innenfor tilfeldig variasjon» betyr "
    "at tallene kan ha endret seg av tilfeldige grunner; da omtales endringen ikke som en økning "
    "eller nedgang.",
    "Gjerningspersoner: der politiets tall oppgir antall gjerningspersoner (personer, ikke "
    "forhold) for alle årene som sammenlignes, vurderes endringen på dem, fordi de svinger "
    "mindre enn forholdene; setningen sier da «vurdert på antall gjerningspersoner». Ellers "
    "vurderes endringen på antall forhold. Et delår som omregnes til helt år vurderes alltid "
    "på forhold (personer kan ikke regnes om etter antall dager).",
    "Mange sammenligninger: én rapport gjør mange sammenligninger, og noen vil se store ut ved "
    "en tilfeldighet. Totalen vurderes for seg; krimtypene og kjønn (jenter/gutter) vurderes "
    "samlet, slik at høyst om lag 5 % av endringene som kalles reelle, kan være tilfeldige "
    "(Benjamini-Hochberg). Aldersgruppene vises i tabellen uten egen vurdering: tallene per "
    "årskull er små, og én ungdom kan stå for mange av dem. Alle sammenligningene står i "
    "vedlegget.",
    "Antall forhold: et år mot året før, og mot summen av de tre foregående hele årene "
    "(snittet); kvasi-Poisson-test med anslått spredning, men aldri svakere enn den eksakte "
    "Poisson-testen. Omregning av delår: antall × dager i året / dager talt, testet med "
    "eksponering lik andelen av året.",
    "Spørreundersøkelser: når antall som svarte er kjent, eksakt binomisk test mot "
    "landsverdien med 95 % konfidensintervall, og Fishers eksakte test mellom to målinger. Når "
    "antall svar ikke er kjent, oppgis tallene uten vurdering av tilfeldig variasjon.",
    "Rater (per 1 000, per 100 000 …): når filen oppgir nevneren (befolkning, nevner eller "
    "konfidensgrenser), eksakt Poisson-test av antallene bak ratene mot forrige måling og mot "
    "landet; ellers oppgis tallene uten vurdering. Andre enheter (indeks, gjennomsnitt …) "
    "vurderes ikke. Alle sammenligningene av spørreundersøkelser og rater i rapporten vurderes "
    "samlet (Benjamini-Hochberg), som krimtypene.",
]

SOURCES = [
    "Politiet (politidistriktets U18-tabeller), slik de er lastet inn i databasen.",
    "FHI Kommunehelsa statistikkbank (Ungdata og Elevundersøkelsen), NLOD/CC BY 4.0.",
    "Ungdata (NOVA, OsloMet) – kommunens egne nøkkeltall der de er lastet inn.",
    "SSB tabell 07459 (befolkning) og 08487 (anmeldte lovbrudd) for sammenligning i "
    "dashbordet.",
]

CAVEATS = [
    "Politiets tall viser registrerte forhold. Endringer kan skyldes politiets innsats og "
    "prioriteringer, anmeldelsestilbøyelighet og enkeltsaker med mange forhold, ikke bare "
    "endringer i ungdommenes atferd.",
    "Små tall svinger mye fra år til år. En endring fra 12 til 24 kan være tilfeldig; se "
    "vurderingen i hver setning.",
    "Omregning av delår forutsetter at forholdene fordeler seg jevnt over året. Sesongvariasjon "
    "gjør anslaget usikkert.",
    "Ungdata-tall gjelder de som svarte, på det tidspunktet undersøkelsen ble gjort. Når antall "
    "som svarte ikke er oppgitt i kilden, kan vi ikke si om forskjeller er tilfeldige.",
]


def lead(region: str, year: int) -> str:
    return (f"Dette kunnskapsgrunnlaget viser utviklingen i registrert barne- og "
            f"ungdomskriminalitet i {region} til og med {year}, og utvalgte tall fra Ungdata. "
            f"Teksten er generert fra SLT-statistikk og kan redigeres fritt. Hver vurdering sier "
            f"om en endring er reell eller innenfor tilfeldig variasjon; metoden står under "
            f"«Definisjoner», og alle sammenligningene i vedlegget.")


def police_intro(region: str) -> str:
    return (f"Tabellene under viser straffbare forhold begått av personer under 18 år på "
            f"gjerningstidspunktet. Gjerningen er begått innenfor området {region}, og "
            f"gjerningstidspunktet er innenfor angitt år eller tidsrom. Gjerningspersonen behøver "
            f"ikke høre hjemme i {region}.")


def summed_note(region: str) -> str:
    """Whose figures a region without police figures of its own shows."""
    return (f"Politiet har ikke gitt egne tall for {region}: tallene er summen av kommunene, "
            f"for hver krimtype, alder og kjønn der alle kommunene har tall (som i dashbordet). "
            f"Et tall som mangler for én kommune, mangler også i summen.")


def group_note(region: str, members: list[str], since: str) -> str:
    """Which kommuner a region group is, and when that last changed (its figures follow it)."""
    return (f"{region} er en regiongruppe av kommunene {listing(members)} ({since}). "
            f"Befolkningen, og summene der gruppen ikke har egne tall, gjelder disse kommunene.")


def members_note(region: str, members: list[str]) -> str:
    return (f"{region} har ingen egne Ungdata-tall i databasen; tallene under gjelder kommunene "
            f"{listing(members)}, hver for seg og ved siden av landet.")


def sources_section(sup: Suppression) -> list:
    return [Heading("Kilder, definisjoner og forbehold", 2),
            Heading("Kilder", 3), Bullets(SOURCES),
            Heading("Definisjoner og metode", 3), Bullets(DEFINITIONS),
            Heading("Forbehold", 3), Bullets(CAVEATS + [sup.note()])]
