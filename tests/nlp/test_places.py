"""Where: gemeente names, woonplaatsen, wijken, landmarks, colloquial names and ambiguity."""

import pytest

from nlp.places import place_resolver


@pytest.mark.parametrize(
    "text, code, place",
    [
        ("Rellen in Hengelo bij het station", "GM0164", None),
        ("Scootermeeting in Hengelo in de Achterhoek, Gelderland", "GM1876", "Hengelo"),
        ("Demonstratie in Bergen, Noord-Holland", "GM0373", None),
        ("Demonstratie in Bergen in Limburg", "GM0893", None),
        ("Explosie in Haren bij Groningen", "GM0014", "Haren"),
        ("Den Bosch: protest op de Markt", "GM0796", None),
        ("Demonstratie op de Dam zondag", "GM0363", "Dam"),
        ("Onrust in Kanaleneiland vannacht", "GM0344", "Kanaleneiland"),
        ("Vannacht schoten in Hoogvliet", "GM0599", "Hoogvliet"),
        ("Rellen in Nijmegen-West", "GM0268", None),
        ("Supporters van Ajax uit Amsterdam naar Rotterdam, rellen bij De Kuip", "GM0599", "De Kuip"),
        ("Protest in Best bij het gemeentehuis", "GM0753", None),
        # lower-case town names that are no Dutch word; a town's adjective
        ("vrijdag 20u carmeet dedemsvaart parkeerplaats bij de jumbo", "GM0160", "Dedemsvaart"),
        ("In de Hengelose wijk Groot Driene ontplofte een explosief", "GM0164", "Groot Driene"),
        # an article before a name that is no word: "den haag" typed lower-case
        ("gisteren in den haag op het malieveld demonstratie", "GM0518", None),
        # ... and a colloquial name so typed, though "bosch" is a word
        ("vanavond in den bosch op de markt gedoe", "GM0796", None),
        # back from a place: the writer was there, it is the scene, not where people came from
        ("Net terug uit Zwolle van de demo, de bus vanuit Deventer was vol", "GM0193", None),
        # dialect names of towns: Sittards, Gronings, Frisian
        ("Mörge mit de bus noa Zittert, zjwart-geel!", "GM1883", None),
        ("Heel Knoal stond op de Hoofdstraat vandaag", "GM0037", None),
        ("Yn It Fean stiet de ME al by it stasjon", "GM0074", None),
        # a town's hospital and a stadium by its short name
        ("Zaterdag 11:00 protestmars voor ons ziekenhuis, start bij het Refaja", "GM0037", "Refaja"),
        ("Vrijdag 18:30 samen naar de Kras, rood-wit-oranje", "GM0385", "Kras"),
        # a town named as a club is not the scene; the gathering of a call is
        ("Heerenveen-fans en Cambuur-fans op de vuist bij een tankstation in Joure", "GM1940", "Joure"),
        (
            "Zaterdag uit in Arnhem. Verzamelen 11u bij Nijmegen Centraal, samen de trein in",
            "GM0268",
            "Nijmegen Centraal",
        ),
        ("Cambuur-supporters lopen in een mars naar het stadion", "GM0080", None),
        ("Demonstratie voor het gemeentehuis Ommen tegen de sluiting van het zwembad", "GM0175", None),
        ("Nog even over die rellen gisteren in Dordt", "GM0505", None),
        ("Maandag 06:00 A28 ter hoogte van Staphorst. Blokkade met trekkers", "GM0180", None),
    ],
)
def test_resolves_the_gemeente_where_it_happens(text, code, place):
    match = place_resolver().resolve(text)
    assert (match.gemeente_code, match.place) == (code, place)


@pytest.mark.parametrize(
    "text",
    [
        "Demonstratie in Berlijn tegen de regering",
        "Best wel druk vandaag",
        "Geen plaats hier",
        # abroad beats the towns people travel from; a square every town has names no town
        "Morgen grote demo in Brussel. Vanuit Leeuwarden rijden we met twee auto's",
        "Hollandse fans zingen op de Grote Markt, politie zet waterkanon in",
        "Het Plein staat vol. Een van de boeren heeft een koe meegenomen. Leek me rustig",
        "Zaterdag thuis tegen Ajax, iedereen in het zwart",
        # ... but an article before a plain word is no lower-case town ("De Wijk", "De Plas")
        "vanavond rellen in de wijk, daarna bij de plas",
        "Terug uit Parijs, gisteren met duizenden de straat op tegen de oorlog. Bus vanuit Almelo ging om 5 uur",
    ],
)
def test_no_dutch_place(text):
    assert place_resolver().resolve(text) is None


def test_the_channels_home_gemeente_settles_a_name_without_context():
    # Rijswijk is a gemeente in Zuid-Holland and a woonplaats in Gelderland and Noord-Brabant.
    assert place_resolver().resolve("Vechtpartij in Rijswijk").gemeente_code == "GM0603"
    gelderland = {p.gemeente_code for p in place_resolver().gaz.places if p.name == "Rijswijk"} - {"GM0603"}
    home = sorted(gelderland)[0]
    assert place_resolver().resolve("Vechtpartij in Rijswijk", home_gemeente=home).gemeente_code == home


def test_the_channel_name_hints_at_its_town():
    resolver = place_resolver()
    # no place in the text: the town in the channel's name
    match = resolver.resolve(
        "Eerste thuiswedstrijd zondag!! 1300 uur verzamelen, samen naar het stadion", channel="almere_city_sfeer"
    )
    assert match.gemeente_code == "GM0034"
    # a named place still wins over the channel
    match = resolver.resolve("Vechtpartij bij station Buitenpost", channel="groningen_nieuws")
    assert match.gemeente_code == "GM0059"
    assert resolver.resolve("Grote demo vandaag", channel="vrij_nederland_nieuws") is None
    # a post that names no place at all gets none, whatever the channel
    assert resolver.resolve("Grote demo vandaag, iedereen komen!!", channel="almere_city_sfeer") is None
    # a home match against a club from elsewhere is in the channel's town
    match = resolver.resolve("Zaterdag thuis tegen Ajax. 17:30 verzamelen bij de haven", channel="volendam_sfeer")
    assert match.gemeente_code == "GM0385"
    # a square or street by its own name at the start, unknown to the gazetteer: a place in that town
    match = resolver.resolve("Walstraat staat vol blauw, was net een knokpartij", channel="almere_nachtleven")
    assert match.gemeente_code == "GM0034"
    assert resolver.resolve("Staat vol blauw, was net een knokpartij", channel="almere_nachtleven") is None


@pytest.mark.parametrize(
    "text, code",
    [
        # a town's adjective before "wijk" names the town, also when the rule for adjectives misses it
        ("Explosie bij een woning in de Kerkraadse wijk Chevremont vannacht.", "GM0928"),
        ("Onrust in de Goudse wijk Korte Akkeren na een schietpartij.", "GM0513"),
        # three-letter towns have their own adjectives
        ("Terwijl de Edese raad instemde met de opvang, was het buiten onrustig.", "GM0228"),
        ("De Osse politie hield na de vechtpartij twee mannen aan.", "GM0828"),
        ("Urker vissers blokkeren maandag met hun kotters de haven.", "GM0184"),
        # a surname that is a town name is no place
        ("Demonstratie bij het stadhuis, zegt woordvoerder Van Alphen van de politie Utrecht.", "GM0344"),
        # a dateline abroad beats the Dutch towns the buses leave from
        (
            "BERLIJN - Honderden Nederlanders demonstreren zaterdag in Berlijn. Uit Amsterdam, Utrecht en "
            "Nijmegen vertrekken bussen.",
            None,
        ),
        ("Rellen in de Franse hoofdstad na de finale, ook supporters uit Rotterdam waren erbij.", None),
        # several towns and no scene: a national action day
        ("Boeren voeren zaterdag actie bij distributiecentra in onder meer Zwolle, Heerenveen, Tiel en Oss.", None),
        # one scene with the places people come from
        ("Boeren uit heel Limburg trekken donderdag met hun trekkers naar het Gouvernement in Maastricht.", "GM0935"),
        # "het strand van Zandvoort" is the town's beach, not people from Zandvoort
        (
            "Op het strand van Zandvoort liep een ruzie tussen twee groepen jongeren uit Amsterdam en Haarlem "
            "volledig uit de hand.",
            "GM0473",
        ),
    ],
)
def test_scenes_of_news_prose(text, code):
    match = place_resolver().resolve(text)
    assert (match.gemeente_code if match else None) == code


@pytest.mark.parametrize(
    "text, code",
    [
        ("De politie heeft donderdag invallen gedaan bij autobedrijven in Tilburg en Breda.", None),
        ("In Den Haag, Arnhem en Leeuwarden werden hulpverleners bekogeld met vuurwerk.", None),
        ("Na de wedstrijd in het Noorse Bergen zijn twaalf supporters aangehouden.", None),
        # a place abroad named as the scene beats the Dutch town beside it
        ("In Gronau (net over de grens bij Enschede) vanmiddag een demonstratie op de Marktplatz.", None),
        # a first stop on the way abroad is not the scene ("verzamelen eerst bij …, dan naar …")
        (
            "Vissers varen woensdag naar Brussel voor de actie bij de Europese Commissie. "
            "Ze verzamelen eerst in de haven bij Harlingen en rijden dan met bussen verder.",
            None,
        ),
        # a name shared with a Dutch place, followed by the town abroad it is in
        ("Zaterdag 21:00 treffen op de parkeerplaats bij de Tivoli in Aachen, NL en DE crews samen.", None),
        # a list of towns after "in onder meer" is no single scene either
        ("Vakbonden houden vrijdag acties in onder meer Arnhem, Deventer en Leeuwarden.", None),
        # the dateline on the line after a headline is where the item is written from
        (
            "Vissers willen donderdag naar het provinciehuis\nLEEUWARDEN - Garnalenvissers uit de "
            "kustdorpen protesteren donderdag bij het provinciehuis. Ze vertrekken met een bus vanaf "
            "de haven in Harlingen.",
            "GM0080",
        ),
        # towns after 'uit' or 'richting' are origins or a route, not a list of scenes
        (
            "Dinsdag om 19:30 uur bij het gemeentehuis in Beneden-Leeuwen. Iedereen komen, ook uit Druten en Wamel!",
            "GM0668",
        ),
    ],
)
def test_lists_of_towns_and_towns_abroad(text, code):
    match = place_resolver().resolve(text)
    assert (match.gemeente_code if match else None) == code


@pytest.mark.parametrize(
    "text, channel, code",
    [
        # "van" after a place noun names the scene; a listed street of another town loses to it
        (
            "Het centrum van Veenendaal werd vannacht opgeschrikt door een klap. Bij een winkelpand in de "
            "Hoofdstraat sprong de pui eruit.",
            None,
            "GM0345",
        ),
        # where people go ("naar het Malieveld") beats where they come from ("uit Harderwijk")
        ("Scholieren uit Harderwijk gaan maandag met bussen naar het Malieveld", None, "GM0518"),
        ("ALLE SCOOTERS uit Zwolle, Kampen en Meppel: ZATERDAG naar Steenwijk! 20:00 verzamelen", None, "GM1708"),
        # a town glued into a channel name settles a name many towns share
        (
            "Woensdag 17.00 uur lichtjeswake bij de oude platanen in het Stadspark",
            "groenmaastricht.bsky.social",
            "GM0935",
        ),
        ("Woensdag 17.00 uur lichtjeswake bij de oude platanen in het Stadspark", "stadsnieuwsgroningen", "GM0014"),
        # only origins named ("uit Lelystad en Zeewolde"): the people came to the channel's town
        ("Wat een opkomst! Honderden mensen, ook uit Lelystad en Zeewolde. Dank jullie wel", "Zorg Almere", "GM0034"),
        # a city's nickname; the visiting club named as a town is not the scene
        ("Zondag komt Rotterdam naar de Kaasstad. Om 12:30 verzamelen we achter station Noord", None, "GM0361"),
        # the home club and the channel's town together beat the visitors' club named as a town
        (
            "Voor de wedstrijd SC Cambuur – sc Heerenveen op vrijdag geldt een buscombiregeling.",
            "leeuwarden.nl",
            "GM0080",
        ),
        # a forward's header names the channel it came from, not the scene
        ("Forwarded from Scooterscene 023\nMEETING ZATERDAG 5/12\nHoofddorp, Beukenhorst 14:00", None, "GM0394"),
        # a university building is a landmark
        ("MORGEN 08:00 bezetten we het Maagdenhuis. Slaapzak mee.", None, "GM0363"),
        # "de Horst" is the Adelaarshorst, not the village Horst; the channel gives the town
        ("Zondag derby. Iedereen om 12.30 verzamelen, daarna samen naar de Horst.", "Deventer Geel Rood", "GM0150"),
        # ... while a place called with an article keeps it
        ("Activisten blokkeren sinds vanochtend de Eemshaven, kom ook!", None, "GM1966"),
        # a square named with its town is that town's, not the listed square of another
        ("VRIJDAG 19:00 – NEUDE ZWOLLE – kom allemaal!", None, "GM0193"),
        ("Zaterdag 14:00 Hofplein, Leeuwarden. Vlaggen mee!", None, "GM0080"),
    ],
)
def test_scene_beats_origin_and_channels_settle_shared_names(text, channel, code):
    match = place_resolver().resolve(text, channel=channel)
    assert match is not None and match.gemeente_code == code


@pytest.mark.parametrize(
    "text, channel",
    [
        (
            "PSV fans marching through Lisbon this afternoon, thousands of us",
            "psv_uitvak",
        ),  # abroad beats the club's channel
        (
            "Oranjefans lopen zaterdag in een mars door Bazel naar het stadion. Vanaf Eindhoven Airport "
            "vertrekken de bussen",
            None,
        ),
        (
            "WOENSDAG ACTIE bij alle distributiecentra in het noorden. 06:00 begint het.",
            None,
        ),  # a direction, not Noorden
        (
            "Who's driving to Antwerp on Saturday for the climate march? We leave from Breda at 9, three cars.",
            None,
        ),  # English: where they go is the scene, where they leave from is not
    ],
)
def test_no_gemeente_for_scenes_abroad_or_directions(text, channel):
    assert place_resolver().resolve(text, channel=channel) is None


@pytest.mark.parametrize(
    "channel, code",
    [
        ("arnhemmer.bsky.social", "GM0202"),  # the people of a town, with its doubled consonant
        ("assenaar84.bsky.social", "GM0106"),
        ("drachtster.bsky.social", "GM0090"),  # Drachten lies in Smallingerland
        ("charlois-bewoner.bsky.social", "GM0599"),  # a wijk only one town has
        ("kanaleneilander.bsky.social", "GM0344"),
        ("kirchroa-kiek.bsky.social", "GM0928"),  # a town's name in dialect
        ("Vak P Berichten", None),
        ("r/LeidenInternationals", "GM0546"),  # camel case: a town glued to a word in capitals
        ("ZwolleExpats", "GM0193"),
        ("HeadsUpNL", None),
        ("Kuip Kronieken", "GM0599"),  # a stadium: its town (8 December)
        ("Bunnikside Berichten", "GM0344"),  # Utrecht's home stand, named after its neighbour
        ("r/WaalstadForum", None),  # another landmark ("Forum", Wageningen) names no channel's town
    ],
)
def test_channel_names_point_to_their_town(channel, code):
    assert place_resolver().channel_home(channel) == code


@pytest.mark.parametrize(
    "text, code",
    [
        # a village split in -Oost and -West, named as a whole
        ("Trekkers blokkeren vanavond de veiling in Zwaagdijk", "GM0420"),
        # where a convoy leaves from is not where the protest is
        ("ZATERDAG 11 UUR STADHUIS ASSEN\nWe vertrekken om 10 uur vanaf de carpoolplaats bij Hooghalen.", "GM0106"),
        # … but fans leaving for an away match gather there: that is the scene
        ("Zondag uit naar Heracles. Bus vertrekt 11:00 bij station Zwolle, niemand alleen.", "GM0193"),
        # a range that is a route stays one town's procession
        ("De lichtjesoptocht trekt zaterdag van Kerkrade tot Heerlen door de wijken", "GM0917"),
    ],
)
def test_split_villages_departures_and_routes(text, code):
    match = place_resolver().resolve(text)
    assert match is not None and match.gemeente_code == code


@pytest.mark.parametrize(
    "text",
    [
        # spelt as the city abroad ("Zürich"), not as the Frisian village Zurich
        "Honderden Nederlanders bij de mars door Zürich\nZÜRICH - De supporters verzamelden om 14.00 uur bij het meer.",
        # ranges across the country: no single scene
        "Zondag staan we in dertig steden op de markt, van Leeuwarden tot Venlo en van Den Helder tot Terneuzen.",
        # the whole country, filed from one town: the dateline is no scene
        "Zorgpersoneel legt dinsdag werk neer\nUTRECHT - In ruim 40 gemeenten houden verpleegkundigen dinsdag "
        "een actiemiddag voor een betere cao.",
    ],
)
def test_no_gemeente_for_a_city_spelt_abroad_or_the_whole_country(text):
    assert place_resolver().resolve(text) is None


def test_the_frisian_village_keeps_its_own_spelling():
    match = place_resolver().resolve("Schuurbrand in Zurich, brandweer uit Bolsward schaalde op")
    assert match is not None and match.gemeente_code == "GM1900"


def test_a_common_word_after_a_place_noun_in_a_new_sentence_is_no_name():
    # "station. Meer …" is a new sentence: not the hamlet Meer; the post names only an origin
    match = place_resolver().resolve("Zaterdag komen ze uit Kampen. 17:00 station. Meer zeg ik niet.")
    assert match is None or match.gemeente_code != "GM0935"
    # "tussen de auto's door. Echt …": the preposition before a full stop governs nothing after it
    scene = place_resolver().resolve("Dertig brommers bij de haven, eentje tussen de auto's door. Echt eng.")
    assert scene is None
    named = place_resolver().resolve("Vanavond verzamelen bij gemeentehuis Ommen")
    assert named is not None and named.gemeente_code == "GM0175"


def test_a_dateline_that_is_also_a_word_is_a_place():
    # "ECHT -" is the town of Echt (Echt-Susteren), the word "echt" only elsewhere
    match = place_resolver().resolve("ECHT - Tientallen inwoners liepen zaterdag mee in een protestmars.")
    assert match is not None and match.gemeente_code == "GM1711"
    assert place_resolver().resolve("Echt niet normaal dit, zaterdag weer een protestmars") is None


def test_a_dateline_in_the_towns_own_spelling_beats_a_listed_street_of_another_town():
    """Regional sites write "Den Helder – …" or "Alphen aan den Rijn - …": the town the item is
    filed from, as strong as "DEN HELDER - ". A street on the landmark list under another town
    (a Keizerstraat is in many towns) does not move the scene there; "Update: …" is no dateline."""
    from nlp.places import _dateline_position

    resolver = place_resolver()
    text = "Den Helder – Man zwaargewond na vechtpartij in de Keizerstraat, politie zoekt getuigen."
    assert resolver.resolve(text).gemeente_code == "GM0400"
    text = "Vechtpartij Keizerstraat\nAlphen aan den Rijn - Twee mannen zijn vannacht na een ruzie gewond geraakt."
    assert resolver.resolve(text).gemeente_code == "GM0484"
    assert _dateline_position("Update: de mars begint later") == -1


def test_a_compass_word_in_a_channel_name_is_no_town():
    """ "Noorderland Nieuws", "noordse_brommers": north, not Noorden (Nieuwkoop), whose derived
    forms they match; a channel that names the town still points to it."""
    resolver = place_resolver()
    assert resolver.channel_home("Noorderland Nieuws") is None
    assert resolver.channel_home("noordse_brommers") is None
    assert resolver.channel_home("nieuwkoop_nieuws") == "GM0569"


def test_towns_people_leave_from_for_a_scene_not_named_are_no_scene():
    """A forwarded call whose own line names only where people leave from ("ook vanuit Meppel en
    Steenwijk rijden we erheen") and a scene it does not name: no gemeente, rather than the
    first town people come from; with the scene named, that town."""
    resolver = place_resolver()
    forward = (
        "Ook vanuit Meppel en Steenwijk rijden we erheen!\n\nDinsdag 19:00 voor de deur van het raadhuis, vlaggen mee."
    )
    assert resolver.resolve(forward) is None
    named = forward + " Laat ze horen dat Hoogeveen dit niet wil."
    assert resolver.resolve(named).gemeente_code == "GM0118"


def test_a_bus_leaving_a_town_for_a_march_abroad_is_not_in_that_town():
    """ "Vertrek zaterdagochtend 07:30 vanaf het busstation in Arnhem" under "Bus naar Brussel":
    where the bus leaves, some words after "vertrek"; a march that sets off from a town's station
    is in that town."""
    resolver = place_resolver()
    trip = (
        "Bus naar Brussel voor de klimaatmars! Vertrek zaterdagochtend 07:30 vanaf het busstation in Arnhem, "
        "om 12:00 start de mars."
    )
    assert resolver.resolve(trip) is None
    march = "Zaterdag protestmars. De stoet vertrekt om 14:00 uur vanaf het station in Zwolle."
    assert resolver.resolve(march).gemeente_code == "GM0193"


def test_a_place_named_with_ook_in_is_besides_the_scene():
    text = (
        "Nieuwjaarsnacht Zutphen: brandweer bekogeld\nIn de binnenstad zijn hulpverleners met vuurwerk "
        "bekogeld. Ook in Lochem was het onrustig."
    )
    match = place_resolver().resolve(text)
    assert match is not None and match.gemeente_code == "GM0301"


def test_a_name_two_towns_share_gives_no_gemeente_unless_the_channel_names_a_province():
    # a Maasboulevard lies in Rotterdam and in Venlo: nothing in the post says which
    text = "Auto in de fik gestoken aan de Maasboulevard, brandweer was er snel"
    assert place_resolver().resolve(text) is None
    # Oosterwolde lies in Fryslân (Ooststellingwerf) and in Gelderland (Oldebroek)
    text = "Brand in schuur in Oosterwolde, brandweer met groot materieel ter plaatse"
    assert place_resolver().resolve(text) is None
    match = place_resolver().resolve(text, channel="nijs_fryslan")
    assert match is not None and match.gemeente_code == "GM0085"


@pytest.mark.parametrize(
    "text, code",
    [
        # a match is written home team first: the visitors' town is not the scene
        ("Ongeregeldheden na SC Cambuur – sc Heerenveen, ME voert charges uit bij het uitvak", "GM0080"),
        ("Stenen en flessen na Feyenoord - Ajax, tien aanhoudingen", "GM0599"),
        ("Onrust na Heracles - Go Ahead Eagles, ME grijpt in", "GM0141"),
        # dialect names of towns, in a channel's name as well
        ("Zaoterdag same nao Zitterd, verzamele bie 't station", "GM1883"),
    ],
)
def test_home_team_first_and_dialect_town_names(text, code):
    match = place_resolver().resolve(text)
    assert match is not None and match.gemeente_code == code


def test_a_channel_named_in_dialect_points_to_its_town():
    assert place_resolver().channel_home("grunnen_in_verzet") == "GM0014"


def test_a_town_named_in_the_post_beats_a_wijk_of_the_channels_province():
    # "Hoogeind" is a wijk in Goirle (Noord-Brabant) and elsewhere; the post names Helmond, and a
    # channel named after the province only breaks ties
    text = "ZONDAG ‼️ Meeting Helmond, Hoogeind, 14:00. Alle merken welkom"
    match = place_resolver().resolve(text, channel="Brabantse Brommerscene")
    assert match is not None and match.gemeente_code == "GM0794"


def test_a_name_two_gemeenten_share_is_settled_by_context_not_by_its_kind():
    """ "Westpoort" is a wijk of Amsterdam and an industrial estate of Groningen (a landmark):
    the kind of place does not pick the gemeente; the channel or the text does."""
    resolver = place_resolver()
    assert resolver.resolve("Grote brand op Westpoort, rookwolk boven het terrein") is None
    call = "📍 Zondag 6/12, industrieterrein Westpoort. Verzamelen 13:00."
    assert resolver.resolve(call, channel="Scooterscene 050").gemeente_code == "GM0014"
    assert resolver.resolve("Brand op Westpoort in Amsterdam, rookwolk boven de haven").gemeente_code == "GM0363"


@pytest.mark.parametrize("street", ["Grotestraat", "Hoofdstraat", "Kerkstraat", "Voorstraat", "Burgwal", "Hoogstraat"])
def test_a_street_every_town_has_names_no_town(street):
    """ "de Grotestraat" is in the landmark list for one town, but nearly every town has one:
    alone it names none, and in a town's channel it is that town's."""
    resolver = place_resolver()
    text = f"Vannacht een explosie bij een pand aan de {street}, de straat is afgezet."
    assert resolver.resolve(text) is None
    assert resolver.resolve(text, channel="gemeente_waalwijk_nieuws").gemeente_code == "GM0867"
    assert resolver.resolve(f"Explosie bij een pand aan de {street} in Veenendaal").gemeente_code == "GM0345"


@pytest.mark.parametrize(
    "text, code",
    [
        # Frisian: "yn" is "in", "út" (from) is where the riders come from
        (
            "Snein 14 feb 1 oere meeting by De Welle yn Drachten. Nim dyn maten mei út Ljouwert en It Hearrenfean.",
            "GM0090",
        ),
        # Twents: "noar" (to) the scene, "oet" (from) the origin
        ("Wiej goat zaoterdag noar Hengelo, met de bus oet Enschede", "GM0164"),
    ],
)
def test_dialect_prepositions_tell_scene_from_origin(text, code):
    assert place_resolver().resolve(text).gemeente_code == code


def test_a_town_channel_does_not_pull_a_scene_abroad_home():
    """ "Bus naar Brussel, vertrek vanaf Utrecht Centraal" in a Utrecht channel: the march is in
    Brussels; the channel's town breaks ties between Dutch places, not against one abroad."""
    text = (
        "Nog plekken vrij in de bus naar Brussel! Zondag vertrekken we om 8:00 vanaf Utrecht Centraal, "
        "de klimaatmars begint om 13:00 bij station Brussel-Noord."
    )
    assert place_resolver().resolve(text, channel="klimaatbus-utrecht") is None


def test_a_dateline_is_short_so_a_post_of_capitals_is_read_in_bounded_time():
    """ "PARIJS (ANP) - " is a dateline; a post of thousands of capitals before a dash is not. The
    dateline is asked once per mention, so an unbounded match made such a post cost seconds."""
    from nlp.places import _dateline_position

    assert _dateline_position("PARIJS (ANP) - Duizenden mensen op straat") == 0
    assert _dateline_position("Boeren naar het provinciehuis\nDEN HAAG - Honderden boeren") == 4
    assert _dateline_position("HOFPLEIN LJOUWERT " * 1000 + "- kom allemaal") == -1
    match = place_resolver().resolve("HOFPLEIN LJOUWERT " * 1000)
    assert match is not None and match.gemeente_code == "GM0080"


def test_den_haag_as_the_government_is_no_scene():
    """ "Genoeg gepraat in Den Haag" speaks of the government: no place, and no context that
    would make an ambiguous square The Hague's; a march to Den Haag or a square there is."""
    resolver = place_resolver()
    call = "ZATERDAG 13:00 GROTE MARKT. Twaalf jaar beloftes. Genoeg gepraat in Den Haag. Neem je buren mee!"
    assert resolver.resolve(call) is None
    assert resolver.resolve(call, channel="grunnen_in_verzet").gemeente_code == "GM0014"
    assert resolver.resolve("Den Haag luistert niet, dus zaterdag naar de Grote Markt in Groningen").gemeente_code == (
        "GM0014"
    )
    assert resolver.resolve("Zaterdag demonstratie in Den Haag op het Malieveld").gemeente_code == "GM0518"
    assert resolver.resolve("De boeren rijden zaterdag naar Den Haag, de politiek moet luisteren").gemeente_code == (
        "GM0518"
    )


def test_a_channel_named_after_a_province_is_not_its_capital():
    """ "utrecht_provincie_verzet" is about the province: it settles names within it, but it is
    no channel of the city of Utrecht."""
    resolver = place_resolver()
    assert resolver.channel_home("utrecht_provincie_verzet") is None
    assert resolver.channel_home("utrecht_nieuws") == "GM0344"
    # Het Rond: Houten's centre and the square of Zeist's town hall
    text = "Dinsdag staan we er om 19.00 uur, voor het gemeentehuis op Het Rond"
    assert resolver.resolve(text, channel="utrecht_provincie_verzet") is None
    assert resolver.resolve(text, channel="zeist_zegt_nee").gemeente_code == "GM0355"


def test_a_district_of_a_town_across_the_border_is_abroad():
    resolver = place_resolver()
    assert resolver.resolve("Vannacht een explosie bij een woning in het Antwerpse district Deurne.") is None
    assert resolver.resolve("Vannacht een explosie bij een woning in Deurne, aan de Stationsstraat.").gemeente_code == (
        "GM0762"
    )


def test_a_forward_is_read_without_its_header_and_the_forwarders_town():
    """ "⏩ Doorgestuurd van zh_scooterscene" above the call: the header is no text, and the
    forwarding channel's town ("maasstad") breaks no tie; where some riders leave from ("vanaf
    Zuidplein erheen") is not the scene."""
    text = (
        "⏩ Doorgestuurd van zh_scooterscene\nMEETING ZONDAG 9/5 SCHIEDAM\nVerzamelen 14:00 op het "
        "bedrijventerrein, daarna een rondje.\n\nwij rijden 13:15 vanaf Zuidplein erheen"
    )
    assert place_resolver().resolve(text, channel="maasstad_brommers").gemeente_code == "GM0606"


def test_the_town_of_the_visiting_club_is_no_scene():
    """ "thuiswedstrijd tegen Almelo": the town stands for its club (Heracles); the call names no
    town of its own, so it has none rather than the visitors'."""
    resolver = place_resolver()
    assert resolver.resolve("Zondag laatste thuiswedstrijd en dan ook nog tegen Almelo. 11.00 uur verzamelen!") is None
    text = "Zondag thuiswedstrijd tegen Almelo, verzamelen 11:00 op de Oude Markt in Enschede"
    assert resolver.resolve(text).gemeente_code == "GM0153"
    protest = "Zaterdag demonstratie tegen Almelo's nieuwe azc-besluit op het plein in Almelo"
    assert resolver.resolve(protest).gemeente_code == "GM0141"


def test_a_towns_uninflected_adjective_before_a_neuter_noun_is_the_town():
    """ "Honderden tuners op Heerlens bedrijventerrein": the adjective without its -e before a
    neuter noun and no article points to Heerlen as "het Heerlense bedrijventerrein" does."""
    for text in (
        "Honderden tuners op Heerlens bedrijventerrein, bewoners klagen over lawaai.",
        "Honderden tuners op het Heerlense bedrijventerrein, bewoners klagen over lawaai.",
    ):
        match = place_resolver().resolve(text)
        assert match is not None and match.gemeente_code == "GM0917"


def test_the_provinciehuis_of_the_one_province_named_is_in_its_seat():
    """ "om 11.00 rijden we samen naar het provinciehuis" in "Boerenverzet Drenthe" (or with
    "Drenthe" in the text): Assen, the seat of Drenthe's provincial government. Without a
    province, or with two, there is no telling which provinciehuis."""
    text = "Dinsdag praten Provinciale Staten over het stikstofplan. Om 11.00 rijden we samen naar het provinciehuis."
    resolver = place_resolver()
    assert resolver.resolve(text, channel="Boerenverzet Drenthe").gemeente_code == "GM0106"
    assert resolver.resolve("Fryslân komt in actie! " + text).gemeente_code == "GM0080"
    assert resolver.resolve(text, channel="Agrarisch Alarm NL") is None
    assert resolver.resolve("Boeren uit Drenthe en Overijssel: " + text) is None


def test_every_province_has_its_seat_and_the_seat_lies_in_it():
    from onrustradar.core.gazetteer import PROVINCIAL_SEATS, gazetteer

    gaz = gazetteer()
    assert set(PROVINCIAL_SEATS) == {g.province for g in gaz.gemeenten.values()}
    assert all(gaz.gemeenten[code].province == province for province, code in PROVINCIAL_SEATS.items())
