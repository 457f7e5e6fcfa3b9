"""Impact evaluation: ITS against the Sicily reference (statistics spec 2.5), Newcombe (1.5), year comparison."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ttwell.calculations import impact
from ttwell.errors import AnalysisError, ParameterError
from ttwell.calculations.statistics import wilson_interval

from helpers import episode, leaver, load, month_ends, snap

SICILY = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "lopez_bernal_2017_sicily" / "sicily.csv"


@pytest.fixture(scope="module")
def sicily() -> pd.DataFrame:
    if not SICILY.exists():
        pytest.skip(f"Sicily reference data not found at {SICILY} (shared test data, not shipped with the package)")
    data = pd.read_csv(SICILY)
    data["date"] = pd.to_datetime({"year": data["year"], "month": data["month"], "day": 1})
    data["rate"] = data["aces"] / data["stdpop"] * 100_000
    return data


def _term(result, term):
    return result.coefficients.set_index("term").loc[term]


def _effect(result, effect):
    return result.effects.set_index("effect").loc[effect]


# --- Sicily: Lopez Bernal, Cummins & Gasparrini 2017 (values VERIFIED in R and statsmodels, spec 2.5) ----------

def test_design_matches_the_tutorial(sicily):
    design = impact.its_design(sicily["date"], "2005-01-01")
    assert design["time"].tolist() == sicily["time"].tolist()
    assert design["post"].tolist() == sicily["smokban"].tolist()
    assert design.attrs["t0"] == 36
    # Centred: 0 before, 1 in the first ban month (time 37), 23 in Nov 2006.
    assert design.loc[36, "post_t"] == 1 and design["post_t"].iloc[-1] == 23 and design["post_t"].iloc[35] == 0
    # R tsModel::harmonic(month, 2, 12): sin(2*pi*1*month/12) etc.
    assert design["sin1"].iloc[0] == pytest.approx(np.sin(2 * np.pi / 12))
    assert design["cos2"].iloc[2] == pytest.approx(np.cos(2 * np.pi * 2 * 3 / 12))


def test_sicily_poisson_level_only(sicily):
    # R: glm(aces ~ offset(log(stdpop)) + smokban + time, family=poisson); Epi::ci.lin(..., Exp=TRUE)
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    df = pd.concat([sicily[["aces", "stdpop"]], impact.its_design(sicily["date"], "2005-01-01")], axis=1)
    res = smf.glm("aces ~ post + time", df, family=sm.families.Poisson(), offset=np.log(df["stdpop"])).fit()
    low, high = np.exp(res.conf_int().loc["post"])
    assert np.exp(res.params["post"]) == pytest.approx(0.89438, abs=5e-6)
    assert (low, high) == pytest.approx((0.86469, 0.92509), abs=5e-6)


def test_sicily_quasipoisson_level_only(sicily):
    # R: same with family=quasipoisson -> RR 0.89438 (0.83919-0.95319), dispersion 3.5592
    fit = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01",
                     seasonal=False, impact="level")
    level = _effect(fit, "level_change")
    assert level["estimate"] == pytest.approx(0.89438, abs=5e-6)
    assert (level["ci_low"], level["ci_high"]) == pytest.approx((0.83919, 0.95319), abs=5e-6)
    assert fit.diagnostics["dispersion"] == pytest.approx(3.5592, abs=5e-5)


def test_sicily_quasipoisson_harmonic(sicily):
    # R: + harmonic(month, 2, 12) -> RR 0.88507 (0.83940-0.93323), dispersion 2.2622; exp(12 b_time) 1.0668
    fit = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01", impact="level")
    level = _effect(fit, "level_change")
    assert level["estimate"] == pytest.approx(0.88507, abs=5e-6)
    assert (level["ci_low"], level["ci_high"]) == pytest.approx((0.83940, 0.93323), abs=5e-6)
    assert fit.diagnostics["dispersion"] == pytest.approx(2.2622, abs=5e-5)
    assert np.exp(12 * _term(fit, "time")["estimate"]) == pytest.approx(1.0668, abs=5e-5)


def test_sicily_centred_slope_change(sicily):
    # R: + smokban:I(time - 36) -> level 0.87646 (0.82675-0.92916), slope 1.00148 (0.99785-1.00513), phi 2.2746
    fit = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01")
    level, slope = _effect(fit, "level_change"), _effect(fit, "slope_change")
    assert level["estimate"] == pytest.approx(0.87646, abs=5e-6)
    assert (level["ci_low"], level["ci_high"]) == pytest.approx((0.82675, 0.92916), abs=5e-6)
    assert slope["estimate"] == pytest.approx(1.00148, abs=5e-6)
    assert (slope["ci_low"], slope["ci_high"]) == pytest.approx((0.99785, 1.00513), abs=5e-6)
    assert fit.diagnostics["dispersion"] == pytest.approx(2.2746, abs=5e-5)
    # The tidy coefficients and the effects table agree; the GLM table carries exp() columns.
    assert _term(fit, "post")["exp_estimate"] == pytest.approx(level["estimate"])
    # End of series (Nov 2006, 23 months after t0): exp(b2 + 23 b3), delta-method CI brackets it.
    end = _effect(fit, "effect_at_end")
    b = fit.coefficients.set_index("term")["estimate"]
    assert end["estimate"] == pytest.approx(np.exp(b["post"] + 23 * b["post_t"]))
    assert end["months_after"] == 23 and end["ci_low"] < end["estimate"] < end["ci_high"]
    # Counterfactual = fitted with post = post_t = 0: identical before the ban, higher after it.
    f = fit.fitted
    pre, post = f[f["post"] == 0], f[f["post"] == 1]
    assert np.allclose(pre["fitted"], pre["counterfactual"])
    assert (post["counterfactual"] > post["fitted"]).all()
    assert fit.diagnostics["n_pre"] == 36 and fit.diagnostics["n_post"] == 23 and not any(
        "12 on each side" in w for w in fit.warnings)


@pytest.mark.parametrize("lag, se", [(1, 6.556), (3, 7.346), (6, 6.832)])
def test_sicily_segmented_ols_newey_west(sicily, lag, se):
    # R: lm(rate ~ time + smokban + smokban:I(time-36)); coeftest(fit, NeweyWest(fit, lag=L, prewhite=FALSE,
    # adjust=FALSE)) -> level change -24.844, OLS SE 7.705, NW SE 6.556 / 7.346 / 6.832; dwtest 1.594
    fit = impact.its(sicily, date="date", value="rate", start="2005-01-01", seasonal=False, lag=lag)
    post = _term(fit, "post")
    assert post["estimate"] == pytest.approx(-24.844, abs=5e-4)
    assert post["se_ols"] == pytest.approx(7.705, abs=5e-4)
    assert post["se"] == pytest.approx(se, abs=5e-4)
    assert fit.diagnostics["durbin_watson"] == pytest.approx(1.594, abs=5e-4)
    assert fit.diagnostics["lag"] == lag
    assert 0 <= fit.diagnostics["breusch_godfrey_p"] <= 1 and len(fit.diagnostics["acf"]) == 3


def test_default_newey_west_lag_is_reported(sicily):
    fit = impact.its(sicily, date="date", value="rate", start="2005-01-01", seasonal=False)
    assert fit.diagnostics["lag"] == 3 == impact.newey_west_lag(59)
    assert "lag 3" in fit.model


# --- synthetic series with a planted effect --------------------------------------------------------------------

def _synthetic(level=-2.0, slope=0.0, n_pre=24, n_post=24, seed=7):
    rng = np.random.default_rng(seed)
    months = pd.date_range("2021-04-01", periods=n_pre + n_post, freq="MS")
    t = np.arange(1, n_pre + n_post + 1)
    post = (t > n_pre).astype(int)
    y = 20 + 0.05 * t + level * post + slope * post * (t - n_pre) + np.sin(2 * np.pi * months.month / 12) \
        + rng.normal(0, 0.4, len(t))
    return pd.DataFrame({"month": months, "rate": y}), months[n_pre]


def test_planted_level_change_recovered():
    # Fixed seed. Newey-West intervals under-cover with 48 points and 8 coefficients (about 87% for the level and
    # 82% for the slope in 200 simulated series of this design), so an arbitrary seed can miss the truth.
    data, start = _synthetic(level=-2.0, slope=0.1, seed=1)
    fit = impact.its(data, date="month", value="rate", start=start)
    level, slope = _effect(fit, "level_change"), _effect(fit, "slope_change")
    assert level["ci_low"] < -2.0 < level["ci_high"] and level["ci_high"] < 0
    assert slope["ci_low"] < 0.1 < slope["ci_high"]
    # Effect at month 24 after t0 = -2 + 0.1 x 24 = 0.4, within its CI.
    end = _effect(fit, "effect_at_end")
    assert end["months_after"] == 24 and end["ci_low"] < 0.4 < end["ci_high"]


def test_planted_rate_ratio_recovered():
    rng = np.random.default_rng(3)
    months = pd.date_range("2021-04-01", periods=48, freq="MS")
    t = np.arange(1, 49)
    denom = np.full(48, 20_000.0)
    mu = denom * 0.04 * np.exp(0.002 * t + np.log(0.8) * (t > 24))
    data = pd.DataFrame({"month": months.strftime("%d/%m/%Y"), "days_lost": rng.poisson(mu), "days": denom})
    data["month"] = pd.to_datetime(data["month"], dayfirst=True)
    fit = impact.its(data, date="month", count="days_lost", denominator="days", start=months[24], seasonal=False)
    level = _effect(fit, "level_change")
    assert level["ci_low"] < 0.8 < level["ci_high"] and level["ci_high"] < 1


def test_short_series_warns_and_bad_input_raises():
    data, start = _synthetic(n_pre=10, n_post=14)
    fit = impact.its(data, date="month", value="rate", start=start, seasonal=False)
    assert any("12 on each side" in w for w in fit.warnings)
    with pytest.raises(ParameterError, match="either value"):
        impact.its(data, date="month", start=start)
    with pytest.raises(ParameterError, match="not found"):
        impact.its(data, date="month", value="nope", start=start)
    with pytest.raises(AnalysisError, match="one row per month"):
        impact.its(pd.concat([data, data.iloc[[0]]]), date="month", value="rate", start=start)


def test_its_result_serialises():
    import json

    data, start = _synthetic()
    text = json.dumps(impact.its(data, date="month", value="rate", start=start).as_dict())
    assert "effect_at_end" in text


# --- baseline year vs evaluation year -----------------------------------------------------------------------------

@pytest.fixture
def two_years(tmp_path):
    # Ten full-time people in post Mar 2023 .. Mar 2025. p0 sick 10 days in April 2023 (baseline year only).
    # p8 leaves 15/06/2024 and p9 15/12/2024 (evaluation year); nobody leaves or joins in the baseline year.
    ends = month_ends("2023-03-01", "2025-03-31")
    last = {"p8": "2024-05-31", "p9": "2024-11-30"}
    snapshot = [snap(d, f"p{i}") for d in ends for i in range(10)
                if pd.Timestamp(pd.to_datetime(d, dayfirst=True)) <= pd.Timestamp(last.get(f"p{i}", "2099-01-01"))]
    leavers = [leaver("p8", "15/06/2024"), leaver("p9", "15/12/2024", reason="Retirement Age")]
    absence = [episode("e1", "p0", "01/04/2023", "10/04/2023")]
    return load(tmp_path, snapshot=snapshot, absence=absence, leavers=leavers)


def test_year_comparison_known_answers(two_years):
    table = impact.year_comparison(two_years, baseline_start="2023-04-01", baseline_end="2024-03-31",
                                   evaluation_start="2024-04-01", evaluation_end="2025-03-31")
    assert list(table.columns) == impact.YEAR_COLUMNS
    assert "uncontrolled before-after comparison" in table.attrs["caveat"]
    service = table[table["level"] == "service"].set_index("indicator")

    # NHS stability: 10/10 -> 8/10. Newcombe from the Wilson limits (spec 1.5 formula), worked here by hand.
    stab = service.loc["stability_index_nhs_12m"]
    assert (stab["value_baseline"], stab["value_evaluation"]) == (1.0, 0.8)
    assert stab["absolute_change"] == pytest.approx(-0.2) and stab["relative_change"] == pytest.approx(-0.2)
    p1, l1, u1 = wilson_interval(8, 10)
    p2, l2, u2 = wilson_interval(10, 10)
    assert stab["ci_low"] == pytest.approx(-0.2 - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), abs=1e-9)
    assert stab["ci_high"] == pytest.approx(-0.2 + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2), abs=1e-9)
    assert stab["interval"] == "Newcombe" and stab["n_baseline"] == 10

    # Leavers: 0 / 10 -> 2 / ((10 + 8) / 2) = 2/9; Wald on the Poisson rate difference, var = 2 / 9^2.
    lv = service.loc["leaver_rate_hc_12m"]
    assert lv["value_baseline"] == 0 and lv["value_evaluation"] == pytest.approx(2 / 9)
    half = 1.959964 * np.sqrt(2) / 9
    assert (lv["ci_low"], lv["ci_high"]) == pytest.approx((2 / 9 - half, 2 / 9 + half), abs=1e-6)
    assert lv["interval"] == "Wald Poisson rate difference" and np.isnan(lv["relative_change"])

    # Sickness: 10 / 3660 -> 0. Baseline person-clustered SE (as tests/test_workforce.py), evaluation SE 0.
    sick = service.loc["sickness_absence_rate_12m"]
    se = np.sqrt(10 / 9 * (9 ** 2 + 9 * 1 ** 2) / 3660 ** 2)  # y = (10, 0 x 9), x = 366 each, R x = 1
    assert sick["absolute_change"] == pytest.approx(-10 / 3660)
    assert (sick["ci_low"], sick["ci_high"]) == pytest.approx((-10 / 3660 - 1.959964 * se,
                                                               -10 / 3660 + 1.959964 * se), rel=1e-4)
    assert sick["interval"] == "independent ratio difference"
    assert service.loc["staff_in_post_headcount", "interval"] == "none"
    assert {"team", "role_family"} <= set(table["level"])


def test_scale_comparison_welch():
    # R: t.test(c(50,52,49,55), c(40,45,50,48)) -> t = 2.3476, df = 4.5773, 95% CI -0.733 to 12.233 (Welch)
    from scipy import stats

    a = pd.DataFrame({"wemwbs": [40, 45, 50, 48]})
    b = pd.DataFrame({"wemwbs": [50, 52, 49, 55, None]})
    row = impact.scale_comparison(a, b, "wemwbs").iloc[0]
    ref = stats.ttest_ind([50, 52, 49, 55], [40, 45, 50, 48], equal_var=False)
    ci = ref.confidence_interval()
    assert row["difference"] == pytest.approx(5.75)
    assert row["n_evaluation"] == 4
    assert (row["ci_low"], row["ci_high"], row["p"]) == pytest.approx((ci.low, ci.high, ref.pvalue))
    with pytest.raises(ParameterError):
        impact.scale_comparison(a, b, "missing")


# --- command line ------------------------------------------------------------------------------------------------

def test_cli_its_reproduces_sicily_and_reports_bad_cells(sicily, tmp_path):
    import json

    from click.testing import CliRunner

    from ttwell.running.cli import main

    frame = sicily[["aces", "stdpop"]].astype(object).copy()
    frame.insert(0, "month", sicily["date"].dt.strftime("%d/%m/%Y"))
    good = tmp_path / "sicily_ddmm.csv"
    frame.to_csv(good, index=False)
    out = tmp_path / "its.json"
    result = CliRunner().invoke(main, ["its", str(good), "--date", "month", "--count", "aces", "--denominator",
                                       "stdpop", "--start", "01/01/2005", "-o", str(out)])
    assert result.exit_code == 0, result.output
    payload = json.loads(out.read_text())
    level = next(e for e in payload["effects"] if e["effect"] == "level_change")
    assert level["estimate"] == pytest.approx(0.87646, abs=5e-6)
    assert payload["diagnostics"]["dispersion"] == pytest.approx(2.2746, abs=5e-5)
    assert any(e["effect"] == "effect_at_end" for e in payload["effects"])

    frame.loc[3, "aces"] = "lots"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    result = CliRunner().invoke(main, ["its", str(bad), "--date", "month", "--count", "aces", "--denominator",
                                       "stdpop", "--start", "01/01/2005", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "row 5" in result.output and "'aces'" in result.output


# --- autocorrelation-robust intervals (issue 11 item 1) -------------------------------------------------------------

def test_latent_ar1_reml_agrees_with_arima_ml_on_a_long_series():
    # A long AR(1) series (rho 0.6) around a line: REML and maximum likelihood agree as n grows, so the REML rho
    # is checked against statsmodels' ARIMA(1,0,0) with the line as regressors (exact Gaussian ML).
    from statsmodels.tsa.arima.model import ARIMA

    rng = np.random.default_rng(11)
    n = 120
    e = np.empty(n)
    e[0] = rng.normal(0, 1)
    for i in range(1, n):
        e[i] = 0.6 * e[i - 1] + rng.normal(0, 0.8)
    t = np.arange(n, dtype=float)
    y = 5 + 0.01 * t + e
    X = np.column_stack([np.ones(n), t])
    out = impact.latent_ar1_covariance(X, y, np.ones(n))
    ml = ARIMA(y, exog=t, order=(1, 0, 0), trend="c").fit()
    assert out["rho"] == pytest.approx(ml.params[2], abs=0.05)
    # The covariance is the stated sandwich: B^-1 X' Sigma X B^-1 with Sigma = s2 (I + lam R(rho)) (w = 1).
    R = out["rho"] ** np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    sigma = out["sigma2"] * (np.eye(n) + out["lam"] * R)
    bread = np.linalg.inv(X.T @ X)
    assert out["cov"] == pytest.approx(bread @ X.T @ sigma @ X @ bread, rel=1e-8)


def test_latent_ar1_keeps_the_published_estimates_and_widens_the_intervals(sicily):
    published = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01")
    robust = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01",
                        variance="latent_ar1")
    level_p, level_r = _effect(published, "level_change"), _effect(robust, "level_change")
    assert level_r["estimate"] == pytest.approx(0.87646, abs=5e-6)  # same quasi-Poisson point estimate
    assert level_r["ci_low"] <= level_p["ci_low"] and level_r["ci_high"] >= level_p["ci_high"]
    assert robust.diagnostics["variance"] == "latent_ar1" and 0 <= robust.diagnostics["latent_rho"] <= 0.95
    assert "latent AR(1)" in robust.model and "Zeger 1988" in robust.model
    # Ljung-Box on the Pearson residuals of the quasi-Poisson fit, min(6, n // 5) = 6 lags (statsmodels directly).
    from statsmodels.stats.diagnostic import acorr_ljungbox

    lb = acorr_ljungbox(np.asarray(published.result.resid_pearson), lags=[6])
    assert published.diagnostics["ljung_box_p"] == pytest.approx(float(lb["lb_pvalue"].iloc[0]))
    assert published.diagnostics["ljung_box_lags"] == 6


def test_counterfactual_extrapolation_flag(sicily):
    fit = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01")
    f = fit.fitted
    diag = fit.diagnostics
    assert diag["counterfactual_end"] == pytest.approx(f["counterfactual_rate"].iloc[-1])
    assert (diag["observed_min"], diag["observed_max"]) == pytest.approx((f["observed_rate"].min(),
                                                                          f["observed_rate"].max()))
    assert diag["extrapolation"] == (not diag["observed_min"] <= diag["counterfactual_end"] <= diag["observed_max"])
    # A planted rise that stops at the start: its counterfactual a year on is above every observed month.
    months = pd.date_range("2021-04-01", periods=36, freq="MS")
    t = np.arange(1, 37)
    y = np.where(t <= 24, 10 + 0.2 * t, 14.8) + np.random.default_rng(1).normal(0, 0.05, 36)
    flat = impact.its(pd.DataFrame({"month": months, "rate": y}), date="month", value="rate", start=months[24],
                      seasonal=False)
    assert flat.diagnostics["extrapolation"] and flat.diagnostics["counterfactual_end"] > 17
    assert any("extrapolation" in w for w in flat.warnings)
    # Annual pre-trend: 12 x 0.2 = 2.4 a year, with its interval.
    assert flat.diagnostics["pre_trend"]["estimate"] == pytest.approx(2.4, abs=0.05)


def test_phase_in_months_are_left_out(sicily):
    fit = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01",
                     exclude_after_start=3, variance="latent_ar1")
    assert fit.diagnostics["n"] == 56 and fit.diagnostics["n_post"] == 20
    assert fit.fitted["time"].tolist()[36] == 40  # months 37-39 left out, the time index keeps its place
    assert any("phase-in" in w for w in fit.warnings)
    with pytest.raises(ParameterError, match="variance"):
        impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01", variance="robust")


def test_method_sentence_branches(sicily):
    robust = impact.its(sicily, date="date", value="rate", start="2005-01-01", seasonal=False, variance="latent_ar1")
    text = impact.its_method_sentence(robust)
    assert text.startswith(f"Autocorrelation check: Durbin-Watson {robust.diagnostics['durbin_watson']:.2f}")
    assert "latent AR(1)" in text and f"{robust.diagnostics['latent_rho']:.2f}" in text
    hac = impact.its(sicily, date="date", value="rate", start="2005-01-01", seasonal=False, lag=3)
    assert impact.its_method_sentence(hac).endswith("Newey-West (HAC) intervals with lag 3; they under-cover in "
                                                   "series of 3-4 years.")
    model = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01")
    assert impact.its_method_sentence(model).endswith("Model-based intervals that assume neighbouring months are "
                                                     "independent.")
    glm_hac = impact.its(sicily, date="date", count="aces", denominator="stdpop", start="2005-01-01", variance="hac")
    assert glm_hac.diagnostics["lag"] == 3 and "Newey-West" in glm_hac.model


def test_coverage_benchmark_runs():
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_its_coverage.py"
    spec = importlib.util.spec_from_file_location("bench_its_coverage", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    results = bench.run(series=3, seed=1, workers=1)
    assert len(results) == 3 * 3 * 2 and set(results["method"]) == set(bench.METHODS)
    assert "Coverage of the 95% interval" in bench.report(results)
