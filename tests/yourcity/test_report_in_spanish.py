"""`citybook city-report --lang es`: the same report of a real export, in Spanish, with the same figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from citybook.yourcity.cli import main
from tests.yourcity.conftest import REAL_FILES

SPANISH_HEADINGS = [
    "Calidad de los datos: qué se verificó y qué se excluyó",
    "Cuántas solicitudes hay, y de qué tipos",
    "Cuánto esperan los vecinos: mediana y percentil 90",
    "Cumplir lo prometido: proporción a tiempo",
    "La tendencia, con los períodos provisionales señalados",
    "¿Señal o ruido? Un gráfico de control de la demanda",
    "Las diferencias por zona",
    "Los datos detrás de cada gráfico",
    "Cómo se elabora este informe",
]


@pytest.fixture(scope="module")
def spanish_report(real_311: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Boston's export (it has deadlines and areas, so every section has charts), reported in Spanish."""
    out = tmp_path_factory.mktemp("report-boston-es")
    assert main(["city-report", str(real_311 / REAL_FILES["boston"]), "--out", str(out), "--lang", "es"]) == 0
    return out


def _headings(page: str) -> list[str]:
    return re.findall(r"<h2 id=\"[^\"]+\">(.*?)</h2>", page)


def _specs(page: str) -> list[dict]:
    """Every chart's compiled Vega spec embedded in the page."""
    pattern = r'<script type="application/json" class="citybook-chart-spec" data-target="[^"]+">(\{.*?)</script>'
    return [json.loads(match) for match in re.findall(pattern, page, flags=re.S)]


def _chart_titles(page: str) -> list[str]:
    """The title and subtitle of every chart."""
    titles = [spec.get("title", {}) for spec in _specs(page)]
    return [f"{title.get('text')} | {title.get('subtitle')}" for title in titles]


def test_the_spanish_report_has_spanish_headings_and_chart_titles(spanish_report: Path) -> None:
    page = (spanish_report / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in page
    assert re.search(r"<h1>Informe de desempeño de la línea 311: ", page)
    assert _headings(page) == SPANISH_HEADINGS
    titles = _chart_titles(page)
    assert len(titles) >= 6, titles
    assert any(t.startswith("La solicitud más frecuente es ") for t in titles), titles
    assert any(t.startswith("Una de cada diez solicitudes de ") for t in titles), titles
    assert any(" a tiempo | " in t for t in titles), titles
    assert any(t.startswith("La espera típica va de ") for t in titles), titles
    for english in ("most common request", "waits more than", "on time", "Typical waits", "time to close", "Requests"):
        assert english not in " ".join(titles), f"an English chart title is left: {english!r}"
    specs = " ".join(json.dumps(spec, ensure_ascii=False) for spec in _specs(page))
    assert '"title": "Tiempo de cierre (escala logarítmica)"' in specs and "Time to close" not in specs
    assert '"title": "Solicitudes"' in specs and '"title": "Requests"' not in specs
    assert '<th scope="col">verificación</th>' in page and "<p>Se leyeron todas las filas" in page


def test_the_spanish_report_has_the_same_figures(spanish_report: Path, city_reports: dict[str, Path]) -> None:
    english = city_reports["boston"]
    for name in ("volume-by-type.csv", "time-to-close-by-type.csv", "on-time-by-type.csv", "trend.csv", "by-area.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(spanish_report / name), pd.read_csv(english / name), obj=name)
    es_quality, en_quality = (pd.read_csv(folder / "data-quality.csv") for folder in (spanish_report, english))
    assert list(es_quality["rows"]) == list(en_quality["rows"])
    assert list(es_quality["share"]) == list(en_quality["share"])
    assert es_quality["check"].iloc[0] != en_quality["check"].iloc[0], "the check labels should be in Spanish"
    # The lede's counts are the same, written the Spanish way (2.000, not 2,000).
    usable = int(pd.read_csv(english / "volume-by-type.csv")["requests"].sum())
    rows = usable + len(pd.read_csv(english / "rejected-rows.csv"))
    page = (spanish_report / "index.html").read_text(encoding="utf-8")
    spanish = f"{usable:,}".replace(",", ".") + " de las " + f"{rows:,}".replace(",", ".") + " filas"
    assert spanish in page, spanish


@pytest.mark.slow
@pytest.mark.browser
def test_the_spanish_report_draws_in_the_browser(browser, spanish_report: Path) -> None:
    """The Spanish report loads nothing from another host, logs no error and draws every chart."""
    from tests.helpers.page_visit import chart_states, serious_accessibility_violations, visit_page
    from tests.helpers.site_server import serve_directory

    with serve_directory(spanish_report) as url:
        with visit_page(browser, f"{url}/index.html", "desktop") as (page, visit):
            assert visit.external_requests == [] and visit.failed_requests == [], visit
            assert visit.console_errors == [], visit.console_errors
            states = chart_states(page)
            assert len(states) >= 6 and all(s["drawn"] == "true" and s["graphic"] for s in states), states
            assert serious_accessibility_violations(page) == []
