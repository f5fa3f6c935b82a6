"""Daily report card rules: the day's percentage (na, periods, re-rating), reward tiers, shaping."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from goalwise.core.cards.card import Card, Reward, Target, parse_card
from goalwise.core.cards.day import day_score, hit_rates, parse_ratings, ratings_list, reward_reached, shaping

CARD = {
    "title": "School day",
    "rated_by": "teacher",
    "goal_percent": 80,
    "periods": ["morning", "afternoon"],
    "targets": [{"text": "Follows directions", "criterion": "3 or fewer reminders"}, {"text": "Starts work"}],
    "rewards": [{"at_percent": 100, "reward": "Choose dinner"}, {"at_percent": 50, "reward": "Games"}],
}
TIERS = (Reward(50, "Games"), Reward(75, "Park"), Reward(100, "Choose dinner"))


def test_na_is_left_out_of_the_percentage() -> None:
    # yes, no, na: 1 / (1 + 1) = 50 %, not 1 / 3.
    assert day_score([["yes", "no", "na"]]).percent == 50.0


def test_a_day_of_only_na_has_no_value_not_zero() -> None:
    score = day_score([["na", "na"], ["na", "na"]])
    assert (score.yes, score.no, score.percent) == (0, 0, None)


def test_the_day_pools_all_periods() -> None:
    # Morning 1 of 2, afternoon 3 of 3 (one na): 4 yes of 5 counted = 80 %, not the mean of 50 and 100.
    assert day_score([["yes", "no", "na"], ["yes", "yes", "yes"]]).percent == 80.0


def test_re_rating_a_period_replaces_it_in_the_day() -> None:
    periods = {"morning": ["no", "no"], "afternoon": ["yes", "yes"]}
    assert day_score(periods.values()).percent == 50.0
    periods["morning"] = ["yes", "no"]  # the teacher corrects the morning
    assert day_score(periods.values()).percent == 75.0


def test_percent_is_rounded_to_one_decimal() -> None:
    assert day_score([["yes", "no", "no"]]).percent == 33.3


@pytest.mark.parametrize(
    ("percent", "reward"),
    [
        (None, None),
        (0.0, None),
        (49.9, None),
        (50.0, "Games"),
        (74.9, "Games"),
        (75.0, "Park"),
        (100.0, "Choose dinner"),
    ],
)
def test_reward_tier_reached_is_the_highest_reached(percent: float | None, reward: str | None) -> None:
    reached = reward_reached(percent, TIERS)
    assert (reached.reward if reached else None) == reward


def test_parse_ratings_reads_positions_and_leaves_others_unrated() -> None:
    ratings, problems = parse_ratings("1=yes, 3=NA", 3)
    assert problems == [] and ratings == {1: "yes", 3: "na"}
    assert ratings_list(ratings, 3) == ["yes", "na", "na"]


def test_parse_ratings_names_every_unknown_rating_and_target() -> None:
    _, problems = parse_ratings("1=maybe,9=yes,2=no,2=yes,x", 3)
    messages = " ".join(p.message for p in problems)
    assert "'maybe' for target 1" in messages and "Target 9" in messages and "rated twice" in messages
    assert "'x' is not TARGET=RATING" in messages
    assert {p.field for p in problems} == {"ratings"}


def test_parse_card_sorts_rewards_and_reads_targets() -> None:
    card, problems = parse_card(CARD)
    assert problems == [] and card is not None
    assert [r.at_percent for r in card.rewards] == [50.0, 100.0]
    assert card.targets[0] == Target("Follows directions", "3 or fewer reminders")
    assert card.period_names == ("morning", "afternoon")


def test_parse_card_names_every_problem() -> None:
    bad = {**CARD, "rated_by": "coach", "goal_percent": 0, "targets": [], "periods": ["am", "AM"]}
    card, problems = parse_card(bad)
    assert card is None
    assert {p.field for p in problems} == {"rated_by", "goal_percent", "targets", "periods"}
    nine = {**CARD, "targets": [{"text": f"T{i}"} for i in range(9)]}
    assert parse_card(nine)[1][0].message == "The card has 9 target behaviours."


def test_hit_rates_per_target_leave_na_out() -> None:
    card = Card("c", "teacher", 80, (Target("a"), Target("b"), Target("c")))
    days = [[["yes", "no", "na"], ["yes", "yes", "na"]], [["no", "yes", "na"]]]
    # a: 2 of 3; b: 2 of 3; c: never counted.
    assert hit_rates(card, days) == [66.7, 66.7, None]


def _weeks(values_per_week: list[list[float | None]], end: date) -> dict[date, float | None]:
    out: dict[date, float | None] = {}
    for w, values in enumerate(values_per_week):
        for d, v in enumerate(values):
            out[end - timedelta(days=7 * w + d)] = v
    return out


def test_shaping_suggests_after_three_of_three_weeks_met_on_most_days() -> None:
    end = date(2026, 11, 27)
    met_week = [90.0, 80.0, 100.0, 60.0, None]  # 3 of 4 rated days met 80
    percents = _weeks([met_week, met_week, met_week], end)
    assert shaping(percents, 80, end).suggest
    half_week = [90.0, 80.0, 60.0, 60.0]  # 2 of 4 is not most days
    percents = _weeks([met_week, half_week, met_week], end)
    result = shaping(percents, 80, end)
    assert (result.weeks_met, result.suggest) == (2, False)
    assert shaping(percents, 80, end, weeks_needed=2).suggest
