"""dlbook_site.pdf.tidy_outline mends the outline titles that Chromium garbles."""

from pypdf import PdfReader, PdfWriter

from dlbook_site.pdf import tidy_outline


def _titles(outline):
    for entry in outline:
        if isinstance(entry, list):
            yield from _titles(entry)
        else:
            yield entry.title


def test_garbled_titles_take_their_heading_and_the_rest_stay(tmp_path):
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(width=200, height=200)
    chapter = writer.add_outline_item(title="1. 1. IntroIntro", page_number=0)
    writer.add_outline_item(title="1.1. Basics", page_number=0,
                            parent=chapter)
    writer.add_outline_item(title="TrainingTraining", page_number=1,
                            parent=chapter)
    writer.add_outline_item(title="A wrapped-heading,of twolines", page_number=1)
    writer.add_outline_item(title="Unknown heading", page_number=1)
    path = tmp_path / "book.pdf"
    writer.write(path)

    changed = tidy_outline(path, ["1. Intro", "1.1. Basics", "Training",
                                  "A wrapped-heading, of two lines"])

    assert changed == 3
    reader = PdfReader(path)
    assert list(_titles(reader.outline)) == [
        "1. Intro", "1.1. Basics", "Training", "A wrapped-heading, of two lines",
        "Unknown heading"]
    assert [reader.get_destination_page_number(e) for e in reader.outline
            if not isinstance(e, list)] == [0, 1, 1]
