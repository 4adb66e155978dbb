"""Site search: one index of documents per language, searched with the database's own
full-text engine (PostgreSQL tsvector/tsquery, SQLite FTS5).

Both engines see the same words: text is normalized here, in Python (lowercase, accents
folded, a light plural and gender stemming that fits English and Spanish), so that
"médicos", "medico" and "Médico" are one token on either database and the results agree.
A query word the index has never seen is corrected against the index's vocabulary
(difflib), so "medical asistant" searches for "medical assistant" and says so.

The index (``SearchDocument`` rows and ``SearchTerm`` vocabulary) is rebuilt whole by
``rebuild_index()``: by ``manage.py rebuild_search_index``, and after any transaction
that saved or deleted searchable content (``connect_signals``). Each document is built
once per language in settings.LANGUAGES, reading the content inside
``translation.override(lang)``: translated fields give that language's text, untranslated
ones the English.
"""

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.translation import gettext

from careers.models import CareerGuide, Certification, Role, SearchDocument, SearchTerm
from programs.models import Campus, Offering, Program

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
MAX_RESULTS = 60
MAX_TERM_CHARS = 100  # SearchTerm.term
# Title words weigh this much more than body words, on both engines.
TITLE_WEIGHT = 1.0
BODY_WEIGHT = 0.4
# How close an unknown word must be to a vocabulary word to be corrected (difflib ratio).
CORRECTION_CUTOFF = 0.75

# Query words too common to require (both languages); documents keep them.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "who",
        "with",
        "your",
        "you",
        "al",
        "como",
        "con",
        "de",
        "del",
        "el",
        "en",
        "es",
        "la",
        "las",
        "lo",
        "los",
        "o",
        "para",
        "por",
        "que",
        "se",
        "su",
        "un",
        "una",
        "y",
    ]
)

_WORD = re.compile(r"[a-z0-9]+")
# A word as typed, accents and capitals kept (what "Showing results for" repeats).
_TYPED_WORD = re.compile(r"[^\W_]+")


Kind = SearchDocument.Kind
KIND_ORDER = {kind: position for position, kind in enumerate(Kind.values)}


def fold(text):
    """Lowercase, without accents, punctuation as spaces: "Técnico(a) EKG" -> "tecnico a ekg"."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word):
    """A light stemmer shared by both languages: singular and plural, masculine and
    feminine end on the same token ("assistants"/"assistant", "certificaciones"/
    "certificación", "médica"/"médico"). Tokens need not be words, only agree."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "ao":
        word = word[:-1]
    if len(word) > 2 and word.endswith("y"):
        word = word[:-1] + "i"
    return word


def words(text):
    """The folded words of ``text``, in order."""
    return _WORD.findall(fold(text))


def tokens(text):
    """The stemmed tokens of ``text`` as one space-separated string (what is indexed)."""
    return " ".join(stem(word) for word in words(text))


@dataclass
class Document:
    """One searchable page (or guide section) in one language."""

    kind: str
    language: str
    object_id: int
    url: str
    title: str
    summary: str = ""
    body: list = field(default_factory=list)
    order: int = 0


# --- Building documents -------------------------------------------------------------


def _text(*parts):
    return " ".join(str(part) for part in parts if part)


def _clip(text, limit=240):
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _schedule_text(offering):
    # Visitors search "evening classes" as often as "evening".
    return gettext("%(schedule)s classes") % {"schedule": offering.get_schedule_display()}


def program_documents(language):
    programs = (
        Program.objects.published()
        .prefetch_related(
            "courses",
            "certifications",
            "roles",
            models.Prefetch(
                "offerings",
                queryset=Offering.objects.active().select_related("campus"),
                to_attr="search_offerings",
            ),
        )
        .order_by("order", "title")
    )
    for position, program in enumerate(programs):
        offerings = program.search_offerings
        yield Document(
            kind=Kind.PROGRAM,
            language=language,
            object_id=program.pk,
            url=program.get_absolute_url(),
            title=program.title,
            summary=_clip(program.summary),
            body=[
                program.summary,
                program.description,
                program.credential_awarded,
                program.get_field_display(),
                *(_text(c.code, c.title, c.description) for c in program.courses.all()),
                *(
                    _text(c.acronym, c.name, c.alternate_names)
                    for c in program.certifications.all()
                ),
                *(role.title for role in program.roles.all()),
                *(
                    _text(o.campus.name, o.campus.city, _schedule_text(o), o.class_days)
                    for o in offerings
                ),
            ],
            order=position,
        )


def campus_documents(language):
    campuses = Campus.objects.published().prefetch_related(
        models.Prefetch(
            "offerings",
            queryset=Offering.objects.active().select_related("program"),
            to_attr="search_offerings",
        )
    )
    for position, campus in enumerate(campuses):
        yield Document(
            kind=Kind.CAMPUS,
            language=language,
            object_id=campus.pk,
            url=campus.get_absolute_url(),
            title=campus.name,
            summary=_clip(_text(campus.address_line, campus.summary)),
            body=[
                campus.address_line,
                campus.summary,
                campus.parking,
                campus.transit,
                *(_text(o.program.title, _schedule_text(o)) for o in campus.search_offerings),
            ],
            order=position,
        )


def certification_documents(language):
    certifications = Certification.objects.published().select_related("body")
    for position, cert in enumerate(certifications):
        yield Document(
            kind=Kind.CERTIFICATION,
            language=language,
            object_id=cert.pk,
            url=cert.get_absolute_url(),
            title=f"{cert.name} ({cert.acronym})",
            summary=_clip(cert.summary),
            body=[
                cert.alternate_names,
                cert.body.name,
                cert.body.acronym,
                cert.get_track_display(),
                cert.summary,
                cert.eligibility_summary,
                cert.exam_format,
                cert.renewal_summary,
            ],
            order=position,
        )


def role_documents(language):
    roles = Role.objects.published().prefetch_related(
        "duties",
        models.Prefetch(
            "certifications",
            queryset=Certification.objects.published(),
            to_attr="search_certifications",
        ),
    )
    for position, role in enumerate(roles):
        yield Document(
            kind=Kind.ROLE,
            language=language,
            object_id=role.pk,
            url=role.get_absolute_url(),
            title=role.title,
            summary=_clip(role.summary),
            body=[
                role.summary,
                role.description,
                role.typical_workplaces,
                role.get_track_display(),
                *(duty.text for duty in role.duties.all()),
                *(_text(c.acronym, c.name) for c in role.search_certifications),
            ],
            order=position,
        )


def guide_documents(language):
    """The guide itself, then each of its sections (linked by anchor)."""
    position = 0
    for guide in CareerGuide.objects.published().prefetch_related("sections"):
        url = guide.get_absolute_url()
        sections = list(guide.sections.all())
        yield Document(
            kind=Kind.GUIDE,
            language=language,
            object_id=guide.pk,
            url=url,
            title=guide.title,
            summary=_clip(guide.meta_description or guide.intro),
            body=[guide.meta_description, guide.intro, *(s.heading for s in sections)],
            order=position,
        )
        position += 1
        for section in sections:
            yield Document(
                kind=Kind.GUIDE,
                language=language,
                object_id=guide.pk,
                url=f"{url}#{section.anchor}",
                title=section.heading,
                summary=_clip(section.body or guide.title),
                body=[section.body, guide.title],
                order=position,
            )
            position += 1


BUILDERS = (
    program_documents,
    campus_documents,
    certification_documents,
    role_documents,
    guide_documents,
)


def collect_documents(languages=None):
    """Every document in every language, each read in its own language."""
    documents = []
    for language in languages or [code for code, _ in settings.LANGUAGES]:
        with translation.override(language):
            for build in BUILDERS:
                documents.extend(build(language))
    return documents


# --- Writing the index -----------------------------------------------------------------


def rebuild_index():
    """Replace the whole index with the site's content as it is now. Returns the count."""
    return write_index(collect_documents())


def write_index(documents):
    """Replace the index with ``documents`` (``Document`` objects) and their vocabulary."""
    rows = []
    vocabulary = {}
    for doc in documents:
        text = " ".join(str(part) for part in doc.body if part)
        title_words = words(doc.title)
        body_words = words(text)
        rows.append(
            SearchDocument(
                kind=doc.kind,
                language=doc.language,
                object_id=doc.object_id,
                url=doc.url,
                title=doc.title,
                summary=doc.summary,
                title_tokens=" ".join(stem(w) for w in title_words),
                body_tokens=" ".join(stem(w) for w in body_words),
                sort_order=KIND_ORDER.get(doc.kind, 99) * 10_000 + doc.order,
            )
        )
        counts = vocabulary.setdefault(doc.language, {})
        for word in set(title_words + body_words):
            term = stem(word)
            entry = counts.setdefault(term, [0, Counter()])
            entry[0] += 1
            entry[1][word] += 1
    terms = [
        SearchTerm(
            language=language,
            term=term,
            word=forms.most_common(1)[0][0],
            documents=count,
        )
        for language, counts in vocabulary.items()
        for term, (count, forms) in counts.items()
        if len(term) <= MAX_TERM_CHARS
    ]
    with transaction.atomic():
        # Raw deletes: the rows are about to be replaced, one by one signals would be waste.
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SearchDocument._meta.db_table}")
            cursor.execute(f"DELETE FROM {SearchTerm._meta.db_table}")
        SearchTerm.objects.bulk_create(terms, batch_size=500)
        if rows:
            SearchDocument.objects.bulk_create(rows[:-1], batch_size=500)
            # The last row is saved on its own: its post_save is the content change that
            # tells the anonymous page cache to render search pages afresh.
            rows[-1].save()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return len(rows)


FTS_TABLE = "careers_searchdocument_fts"


# --- Keeping it fresh ----------------------------------------------------------------------

# What a search document is built from. Cohorts are not here: a program's next start is
# read live when results are shown, never stored in the index.
INDEXED_MODELS = (
    "careers.Certification",
    "careers.CertifyingBody",
    "careers.Role",
    "careers.Duty",
    "careers.CareerGuide",
    "careers.GuideSection",
    "programs.Program",
    "programs.Course",
    "programs.Campus",
    "programs.Offering",
)


def _rebuild_after_commit():
    rebuild_index()


def schedule_rebuild(sender=None, using=None, **kwargs):
    """Rebuild once after the current transaction commits, however many rows it saves."""
    conn = transaction.get_connection(using)
    if not any(item[1] is _rebuild_after_commit for item in conn.run_on_commit):
        transaction.on_commit(_rebuild_after_commit, using=using)


def connect_signals():
    for label in INDEXED_MODELS:
        model = apps.get_model(label)
        post_save.connect(schedule_rebuild, sender=model, dispatch_uid=f"search-save-{label}")
        post_delete.connect(schedule_rebuild, sender=model, dispatch_uid=f"search-del-{label}")
        for m2m in model._meta.local_many_to_many:
            m2m_changed.connect(
                schedule_rebuild,
                sender=m2m.remote_field.through,
                dispatch_uid=f"search-m2m-{label}-{m2m.name}",
            )


def build_if_empty(sender=None, using="default", **kwargs):
    """After ``migrate``: a site upgraded to a version with search gets its index."""
    if not SearchDocument.objects.using(using).exists():
        rebuild_index()


# --- Searching ----------------------------------------------------------------------------


@dataclass
class Query:
    """A visitor's query, read: what was typed, the tokens searched, any correction."""

    text: str
    tokens: list
    corrected: str = ""
    known: bool = False  # every token is in the index's vocabulary (nothing corrected)

    @property
    def is_empty(self):
        return not self.tokens


def clean_query(raw):
    """The query as a visitor may send it: text only, bounded, single spaces."""
    raw = "".join(ch for ch in str(raw or "") if ch.isprintable())
    return " ".join(raw[:MAX_QUERY_CHARS].split())


def read_query(raw, language):
    """Tokens to search for ``raw`` in ``language``, correcting words the index lacks."""
    text = clean_query(raw)
    typed = words(text)[:MAX_QUERY_WORDS]
    wanted = [w for w in typed if w not in STOP_WORDS] or typed
    stems = list(dict.fromkeys(stem(w) for w in wanted))
    if not stems:
        return Query(text=text, tokens=[])
    terms = SearchTerm.objects.filter(language=language)
    known = set(terms.filter(term__in=stems).values_list("term", flat=True))
    unknown = [s for s in stems if s not in known]
    if not unknown:
        return Query(text=text, tokens=stems, known=True)
    # One query for every correction: the vocabulary words of a similar length.
    lengths = {len(s) + d for s in unknown for d in (-2, -1, 0, 1, 2)}
    candidates = {}
    for term, word, count in (
        terms.annotate(length=models.functions.Length("term"))
        .filter(length__in=lengths)
        .values_list("term", "word", "documents")
    ):
        candidates[term] = (word, count)
    replacements = {}
    for token in unknown:
        close = difflib.get_close_matches(token, candidates, n=3, cutoff=CORRECTION_CUTOFF)
        if close:
            best = max(
                close,
                key=lambda t: (
                    round(difflib.SequenceMatcher(None, token, t).ratio(), 2),
                    candidates[t][1],
                ),
            )
            replacements[token] = best
    tokens = list(dict.fromkeys(replacements.get(s, s) for s in stems))
    corrected = ""
    if replacements:
        shown = []
        for piece in _TYPED_WORD.findall(text):
            parts = [stem(word) for word in words(piece)]
            if any(part in replacements for part in parts):
                piece = " ".join(
                    candidates[replacements[part]][0] if part in replacements else part
                    for part in parts
                )
            shown.append(piece)
        corrected = " ".join(shown)
    return Query(text=text, tokens=tokens, corrected=corrected)


def _match(tokens, *, any_token):
    """Rows (document id, rank) matching the tokens; tokens are [a-z0-9]+ only."""
    if connection.vendor == "postgresql":
        return _match_postgresql(tokens, any_token=any_token)
    return _match_sqlite(tokens, any_token=any_token)


VECTOR_SQL = (
    "setweight(to_tsvector('simple', title_tokens), 'A') || "
    "setweight(to_tsvector('simple', body_tokens), 'B')"
)


def _match_postgresql(tokens, *, any_token):
    expression = (" | " if any_token else " & ").join(tokens)
    weights = f"{{0, 0, {BODY_WEIGHT}, {TITLE_WEIGHT}}}"  # D, C, B, A
    sql = (
        f"SELECT id, ts_rank(%s, {VECTOR_SQL}, query) AS rank "
        f"FROM {SearchDocument._meta.db_table}, to_tsquery('simple', %s) query "
        f"WHERE language = %s AND {VECTOR_SQL} @@ query "
        "ORDER BY rank DESC, sort_order LIMIT %s"
    )
    return sql, [weights, expression]


def _match_sqlite(tokens, *, any_token):
    expression = (" OR " if any_token else " AND ").join(f'"{t}"' for t in tokens)
    # bm25 is lower for better matches; its column weights mirror ts_rank's A and B.
    sql = (
        f"SELECT d.id, -bm25({FTS_TABLE}, %s, %s) AS rank "
        f"FROM {FTS_TABLE} JOIN {SearchDocument._meta.db_table} d ON d.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND d.language = %s "
        "ORDER BY rank DESC, d.sort_order LIMIT %s"
    )
    return sql, [TITLE_WEIGHT, BODY_WEIGHT, expression]


@dataclass
class Results:
    query: Query
    documents: list  # SearchDocument rows, best first
    every_word: bool = True  # False: no page has all the words; pages with some of them

    def __len__(self):
        return len(self.documents)


def search(raw, language=None):
    """Documents for ``raw`` in ``language`` (the active one by default), best first:
    pages holding every word; failing that, pages holding any of them. Three queries at
    most, whatever the size of the site."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    query = read_query(raw, language)
    if query.is_empty:
        return Results(query=query, documents=[])
    every_word = True
    ids = _ranked_ids(query.tokens, language, any_token=False)
    if not ids and len(query.tokens) > 1:
        every_word = False
        ids = _ranked_ids(query.tokens, language, any_token=True)
    rows = SearchDocument.objects.in_bulk(ids) if ids else {}
    return Results(
        query=query, documents=[rows[i] for i in ids if i in rows], every_word=every_word
    )


def _ranked_ids(tokens, language, *, any_token):
    sql, params = _match(tokens, any_token=any_token)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, language, MAX_RESULTS])
        return [row[0] for row in cursor.fetchall()]
