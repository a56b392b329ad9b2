"""Look and feel: the Gradio theme, plus where the CSS and the page script live.

The theme uses Gradio's bundled fonts only (no web fonts: the app must work offline). Its
overrides are the colours Gradio's Soft theme gets wrong for WCAG AA (4.5:1): subdued text,
primary buttons and block labels. The CSS is in :mod:`interviewer.ui.styles`, the script in
:mod:`interviewer.ui.scripts`; the script and the few page rules Gradio would not apply from ``css``
(``styles.PAGE_CSS``) reach the page's ``<head>`` through :data:`HEAD`.
"""
from __future__ import annotations

import gradio as gr

from interviewer.ui.scripts import HEAD as _SCRIPTS
from interviewer.ui.styles import CSS, PAGE_CSS

__all__ = ["CSS", "HEAD", "theme"]

HEAD = f"<style>{PAGE_CSS}</style>{_SCRIPTS}"  # the unscoped page rules, then the script


def theme() -> gr.themes.Base:
    """Soft, indigo, with text and control colours raised to AA contrast in light and dark mode."""
    return gr.themes.Soft(primary_hue="indigo", secondary_hue="sky", neutral_hue="slate", radius_size="md").set(
        body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_400",
        button_primary_background_fill="*primary_600", button_primary_background_fill_hover="*primary_700",
        # Hover goes darker in dark mode too: white on indigo-500 is 4.47:1, under AA (the browser test
        # caught it on the Send button the pointer had just clicked).
        button_primary_background_fill_dark="*primary_600", button_primary_background_fill_hover_dark="*primary_700",
        button_primary_text_color="white", button_primary_text_color_dark="white",
        block_label_text_color="*primary_700", block_title_text_color="*primary_700",
        block_label_background_fill_dark="*primary_700", block_label_text_color_dark="white",
        block_title_background_fill_dark="*primary_700", block_title_text_color_dark="white",
        link_text_color="*primary_700", link_text_color_dark="*primary_300",
    )
