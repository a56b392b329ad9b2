"""The interview-prep guide: typed model, parser and mojibake repair."""
from interviewer.guide.model import (
    Example,
    FrameworkPart,
    GeneralFramework,
    Guide,
    Point,
    Question,
    Section,
    TipSection,
)
from interviewer.guide.parser import load_guide_file, load_guides, parse_guide, slugify

__all__ = [
    "Example", "FrameworkPart", "GeneralFramework", "Guide", "Point", "Question", "Section", "TipSection",
    "load_guide_file", "load_guides", "parse_guide", "slugify",
]
