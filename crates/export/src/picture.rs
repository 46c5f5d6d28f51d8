//! The timeline picture: an incident's status phases (and a maintenance's
//! planned window) as coloured bands on a time axis, with day boundaries and
//! hour ticks in the organisation's time zone, and the postmortem's timeline
//! entries as marks with short labels below it. One picture per language.
//!
//! The SVG is written here, element by element, from a fixed set
//! ([`ELEMENTS`]); every piece of text is escaped, nothing is linked or run.
//! The same input gives the same bytes (numbers are written with one decimal).

use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use desk_model::timeline::{prefill, weekday_ja};
use desk_model::{Incident, Kind, Lang, Period, PeriodStyle, Status, TimelineEntry};
use chrono::Datelike;

use crate::layout::is_wide;

/// The SVG elements a picture is made of, and nothing else.
pub const ELEMENTS: &[&str] = &["svg", "title", "desc", "g", "rect", "line", "circle", "text"];

/// The picture's width in SVG units; its height follows from what it shows.
pub const WIDTH: f64 = 760.0;

const LEFT: f64 = 132.0;
const RIGHT: f64 = WIDTH - 18.0;
const FONT: &str = "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, sans-serif";
const ROW: f64 = 24.0;
const LANE: f64 = 17.0;
const TEXT: f64 = 11.0;
/// From the axis to the first lane's baseline: below the hour labels (baseline 16, 10 high).
const LANES_GAP: f64 = 34.0;
/// The widest an entry's label may be.
const MAX_LABEL: f64 = 250.0;
/// Room kept between two labels in a lane, or two days' names.
const GAP: f64 = 8.0;
/// Room kept between a leader and a label it passes.
const LEADER_GAP: f64 = 2.0;

/// What a band shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BandKind {
    /// A maintenance's planned window.
    Window,
    /// When customers were affected (the incident's period).
    Impact,
    /// The incident was at this status.
    Phase(Status),
}

/// A span on the time axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub kind: BandKind,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The span goes on (no end known): drawn to the axis' end.
    pub open: bool,
}

/// What the picture is drawn from: the bands and the timeline entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub title: String,
    pub bands: Vec<Band>,
    pub entries: Vec<TimelineEntry>,
}

impl Picture {
    /// The picture of update `index` (its timeline; none written: the one
    /// the published status changes give), for an incident: the status
    /// phases from the entries that mark a status, the incident's period as
    /// the impact, or for a maintenance its planned window.
    pub fn of(incident: &Incident, index: usize, lang: Lang) -> Picture {
        let entries = match incident.updates.get(index) {
            Some(u) if !u.timeline.is_empty() => u.timeline.clone(),
            _ => prefill(incident),
        };
        let mut bands = Vec::new();
        match incident.kind {
            // A maintenance's window as its updates last set it, else its period.
            Kind::Maintenance => {
                if let Some(p) = incident.maintenance_window().map(|w| w.period()).or(incident.period) {
                    bands.push(span(BandKind::Window, &p));
                }
            }
            Kind::Incident => {
                if let Some(p) = incident.period {
                    bands.push(span(BandKind::Impact, &p));
                }
            }
        }
        let mut marks: Vec<(DateTime<Utc>, Status)> = entries.iter().filter_map(|e| e.status.map(|s| (e.at, s))).collect();
        marks.sort_by_key(|m| m.0);
        for (i, (at, status)) in marks.iter().enumerate() {
            if status.is_closed() || *status == Status::Scheduled {
                continue;
            }
            let next = marks.get(i + 1).map(|m| m.0);
            bands.push(Band { kind: BandKind::Phase(*status), start: *at, end: next.unwrap_or(*at), open: next.is_none() });
        }
        Picture { title: incident.title.get(lang).clone(), bands, entries }
    }

    /// A maintenance window to show besides (a linked maintenance's).
    pub fn with_window(mut self, window: &Period) -> Picture {
        self.bands.retain(|b| b.kind != BandKind::Window);
        self.bands.insert(0, span(BandKind::Window, window));
        self
    }
}

fn span(kind: BandKind, p: &Period) -> Band {
    Band { kind, start: p.start, end: p.end.unwrap_or(p.start), open: p.end.is_none() }
}

fn row_label(kind: BandKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (BandKind::Window, Lang::Ja) => "作業予定時間",
        (BandKind::Window, Lang::En) => "Planned window",
        (BandKind::Impact, Lang::Ja) => "影響のあった期間",
        (BandKind::Impact, Lang::En) => "Customers affected",
        (BandKind::Phase(_), Lang::Ja) => "状況",
        (BandKind::Phase(_), Lang::En) => "Status",
    }
}

fn band_label(kind: BandKind, lang: Lang) -> &'static str {
    match kind {
        BandKind::Phase(s) => s.label(lang),
        other => row_label(other, lang),
    }
}

/// Fill and edge of a band (the label says what it is; colour only helps).
fn colours(kind: BandKind) -> (&'static str, &'static str) {
    match kind {
        BandKind::Window => ("#e4dcf5", "#5b3a9e"),
        BandKind::Impact => ("#f6d3d6", "#a3222f"),
        BandKind::Phase(Status::Investigating) => ("#fbe0c4", "#9a4a00"),
        BandKind::Phase(Status::Identified) => ("#fdf0b8", "#7a5c00"),
        BandKind::Phase(Status::Monitoring) => ("#cfe2fb", "#1f4f99"),
        BandKind::Phase(_) => ("#d7ead9", "#2e6b36"),
    }
}

fn mark_colour(status: Option<Status>) -> &'static str {
    match status {
        None => "#444444",
        Some(s) if s.is_closed() => "#2e6b36",
        Some(s) => colours(BandKind::Phase(s)).1,
    }
}

/// Text escaped for SVG/XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters have no place in XML.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Roughly how wide `text` is at `size`: CJK, full-width forms and the
/// ellipsis (full width in a Japanese font) 1 em, a space 0.28 em, the rest 0.55 em.
pub fn estimate_width(text: &str, size: f64) -> f64 {
    text.chars().map(|c| if is_wide(c) || c == '…' { 1.0 } else if c == ' ' { 0.28 } else { 0.55 }).sum::<f64>() * size
}

/// `text` cut to at most `max` units of width (an ellipsis marks the cut).
fn shorten(text: &str, size: f64, max: f64) -> String {
    if estimate_width(text, size) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if estimate_width(&out, size) + estimate_width(&c.to_string(), size) + size > max {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The hour step between ticks: the smallest that leaves room for a label.
fn tick_step(px_per_hour: f64) -> i64 {
    [1, 2, 3, 6, 12, 24].into_iter().find(|h| *h as f64 * px_per_hour >= 44.0).unwrap_or(24)
}

fn short_day(at: DateTime<chrono_tz::Tz>, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}月{}日({})", at.month(), at.day(), weekday_ja(at.weekday())),
        Lang::En => at.format("%a, %b %-d").to_string(),
    }
}

/// A day's name to set at its boundary (`px`; the axis' start for the first day).
struct DayLabel {
    px: f64,
    width: f64,
    text: String,
}

/// Where the days' names go (their left edges), none over another: each
/// right of its boundary (left of it at the picture's right edge). The first
/// day's name, when the next one leaves it no room, moves left of that name
/// into the labels' column; a name that still collides is left out.
fn place_days(days: &[DayLabel]) -> Vec<(f64, &str)> {
    let mut placed: Vec<(f64, &str)> = Vec::new();
    let mut right_end = f64::MIN;
    for (i, day) in days.iter().enumerate() {
        let preferred = |d: &DayLabel| if d.px + 3.0 + d.width > WIDTH - 2.0 { d.px - 3.0 - d.width } else { d.px + 3.0 };
        let mut lx = preferred(day);
        if i == 0 {
            if let Some(next) = days.get(1) {
                let limit = preferred(next).min(next.px) - GAP;
                if lx + day.width > limit {
                    lx = limit - day.width;
                }
            }
        }
        if lx < 4.0 || lx < right_end + GAP || lx + day.width > WIDTH - 2.0 {
            continue;
        }
        right_end = lx + day.width;
        placed.push((lx, day.text.as_str()));
    }
    placed
}

/// An entry's mark on the axis and its label.
struct Mark {
    px: f64,
    width: f64,
    label: String,
    status: Option<Status>,
}

/// Each mark's label: its left edge and its lane. A label starts at its mark,
/// or ends there when it would not fit before the picture's right edge. It
/// goes in the first lane where it keeps [`GAP`] from the labels there and no
/// leader passes through it, below the label of every mark it stands over,
/// so that leaders do not cross labels. The labels that start at their marks
/// are placed first, those free to go rightmost first (so the lanes step down
/// to the left); then those that end at their marks, leftmost first (stepping
/// down to the right). Only where a label ending at its mark and one starting
/// at its own stand over each other's marks does a leader pass behind a label
/// (the label has a white ground).
fn place_marks(marks: &[Mark]) -> Vec<(f64, usize)> {
    let spans: Vec<(f64, f64)> = marks
        .iter()
        .map(|m| {
            let x0 = if m.px + m.width > WIDTH - 6.0 && m.px - m.width >= 4.0 { m.px - m.width } else { m.px.min(WIDTH - 6.0 - m.width).max(4.0) };
            (x0, x0 + m.width)
        })
        .collect();
    let under = |j: usize, x: f64| spans[j].0 - LEADER_GAP <= x && x <= spans[j].1 + LEADER_GAP;
    // Whether mark `k`'s leader would pass through label `j` were `j` above it.
    let covers = |j: usize, k: usize| k != j && under(j, marks[k].px);
    let starts_at_mark = |j: usize| spans[j].0 == marks[j].px;
    let mut lanes: Vec<Option<usize>> = vec![None; marks.len()];
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    // Rightmost first; of two at the same place, the earlier entry.
    let rightmost = |a: &usize, b: &usize| marks[*a].px.total_cmp(&marks[*b].px).then(b.cmp(a));
    loop {
        let starts: Vec<usize> = (0..marks.len()).filter(|&j| lanes[j].is_none() && starts_at_mark(j)).collect();
        let free = starts.iter().copied().filter(|&j| starts.iter().all(|&k| !covers(j, k))).max_by(rightmost);
        let next = free
            .or_else(|| starts.iter().copied().max_by(rightmost))
            .or_else(|| (0..marks.len()).filter(|&j| lanes[j].is_none()).min_by(|a, b| rightmost(a, b).then(a.cmp(b))));
        let Some(j) = next else { break };
        let below = (0..marks.len()).filter(|&k| covers(j, k)).filter_map(|k| lanes[k]).map(|l| l + 1).max().unwrap_or(0);
        let (x0, x1) = spans[j];
        let fits = |l: usize| {
            rows.get(l).is_none_or(|row| row.iter().all(|&(a, b)| x1 + GAP <= a || b + GAP <= x0))
                && (0..marks.len()).all(|k| lanes[k].is_none_or(|lk| lk <= l) || !under(j, marks[k].px))
        };
        let lane = (below..).find(|&l| fits(l)).expect("a lane");
        if rows.len() <= lane {
            rows.resize(lane + 1, Vec::new());
        }
        rows[lane].push((x0, x1));
        lanes[j] = Some(lane);
    }
    spans.iter().zip(lanes).map(|(s, l)| (s.0, l.unwrap_or(0))).collect()
}

/// The picture as SVG in one language. `id` prefixes the ids of its title
/// and description, so two pictures can share a page.
pub fn to_svg(picture: &Picture, style: &PeriodStyle, lang: Lang, id: &str) -> String {
    let tz = style.time_zone;
    let times = picture.bands.iter().flat_map(|b| [b.start, b.end]).chain(picture.entries.iter().map(|e| e.at));
    let (mut from, mut to) = times.fold((None::<DateTime<Utc>>, None::<DateTime<Utc>>), |(lo, hi), t| {
        (Some(lo.map_or(t, |l| l.min(t))), Some(hi.map_or(t, |h| h.max(t))))
    });
    let (Some(start), Some(end)) = (from.take(), to.take()) else {
        return empty(picture, style, lang, id);
    };
    // Whole hours in the organisation's zone, at least two.
    let local_start = start.with_timezone(&tz);
    let axis_start = (local_start - Duration::minutes(local_start.minute() as i64) - Duration::seconds(local_start.second() as i64)).with_timezone(&Utc);
    let mut axis_end = axis_start + Duration::hours(((end - axis_start).num_minutes() + 59).div_euclid(60).max(2));
    if axis_end <= end {
        axis_end = end + Duration::hours(1);
    }
    let total = (axis_end - axis_start).num_seconds() as f64;
    let x = |t: DateTime<Utc>| LEFT + (t - axis_start).num_seconds() as f64 / total * (RIGHT - LEFT);
    let px_per_hour = (RIGHT - LEFT) * 3600.0 / total;

    let mut body = String::new();
    let mut y = 30.0;
    // Rows of bands: the window, the impact, the statuses (one row for all phases).
    let mut rows: Vec<(BandKind, Vec<&Band>)> = Vec::new();
    for band in &picture.bands {
        let key = match band.kind {
            BandKind::Phase(_) => BandKind::Phase(Status::Investigating),
            other => other,
        };
        match rows.iter_mut().find(|r| r.0 == key) {
            Some(row) => row.1.push(band),
            None => rows.push((key, vec![band])),
        }
    }
    let rows_top = y;
    for (kind, bands) in &rows {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#333333\">{}</text>\n",
            n(8.0),
            n(y + ROW / 2.0 + 4.0),
            n(TEXT),
            escape(row_label(*kind, lang))
        ));
        for band in bands {
            let (fill, edge) = colours(band.kind);
            let x0 = x(band.start);
            let x1 = if band.open { RIGHT } else { x(band.end).max(x0 + 2.0) };
            body.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"{edge}\" stroke-width=\"1\"/>\n",
                n(x0),
                n(y + 3.0),
                n(x1 - x0),
                n(ROW - 6.0)
            ));
            let label = band_label(band.kind, lang);
            if estimate_width(label, TEXT) + 8.0 <= x1 - x0 {
                body.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{edge}\">{}</text>\n",
                    n(x0 + 4.0),
                    n(y + ROW / 2.0 + 4.0),
                    n(TEXT),
                    escape(label)
                ));
            }
        }
        y += ROW;
    }
    // The axis, its hour ticks and day boundaries.
    let axis_y = y + 6.0;
    body.push_str(&format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
        n(LEFT),
        n(axis_y),
        n(RIGHT),
        n(axis_y)
    ));
    let step = tick_step(px_per_hour);
    let mut hour_xs = Vec::new();
    let mut t = axis_start;
    while t <= axis_end {
        let local = t.with_timezone(&tz);
        let px = x(t);
        if local.hour() as i64 % step == 0 {
            body.push_str(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
                n(px),
                n(axis_y),
                n(px),
                n(axis_y + 4.0)
            ));
            body.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#333333\" text-anchor=\"middle\">{}</text>\n",
                n(px),
                n(axis_y + 16.0),
                n(TEXT - 1.0),
                local.format("%H:%M")
            ));
            hour_xs.push(px);
        }
        t += Duration::hours(1);
    }
    // Day boundaries: a line at each local midnight, the day's name beside it.
    let mut days: Vec<DayLabel> = Vec::new();
    let mut day_start = local_start.date_naive();
    loop {
        let midnight = tz.from_local_datetime(&day_start.and_hms_opt(0, 0, 0).expect("midnight")).earliest().map(|d| d.with_timezone(&Utc));
        let Some(midnight) = midnight else { break };
        if midnight >= axis_end {
            break;
        }
        let px = if midnight <= axis_start { LEFT } else { x(midnight) };
        if midnight > axis_start {
            body.push_str(&format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#666666\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>\n",
                n(px),
                n(rows_top - 14.0),
                n(px),
                n(axis_y + 4.0)
            ));
        }
        let text = short_day(midnight.max(axis_start).with_timezone(&tz), lang);
        days.push(DayLabel { width: estimate_width(&text, TEXT), px, text });
        day_start = match day_start.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    for (lx, text) in place_days(&days) {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"#222222\">{}</text>\n",
            n(lx),
            n(rows_top - 4.0),
            n(TEXT),
            escape(text)
        ));
    }
    // The entries: a mark on the axis, a leader down to its label, below the
    // hour labels, in the first lane where it fits.
    let lanes_top = axis_y + LANES_GAP;
    let mut marks = Vec::new();
    for entry in &picture.entries {
        let text = entry.text(lang).trim();
        if text.is_empty() {
            continue;
        }
        let label = shorten(&format!("{} {}", style.format_entry_time(entry, lang), text), TEXT, MAX_LABEL);
        marks.push(Mark { px: x(entry.at), width: estimate_width(&label, TEXT), label, status: entry.status });
    }
    let lanes = place_marks(&marks);
    let lane_count = lanes.iter().map(|(_, l)| l + 1).max().unwrap_or(0);
    // Where the hour labels stand, for the leaders to pass them by.
    let hour_width = estimate_width("00:00", TEXT - 1.0);
    let hour_spans: Vec<(f64, f64)> = hour_xs.iter().map(|h| (h - hour_width / 2.0 - 2.0, h + hour_width / 2.0 + 2.0)).collect();
    let mut leaders = String::new();
    let mut labels = String::new();
    for (mark, (x0, lane)) in marks.iter().zip(&lanes) {
        let ly = lanes_top + *lane as f64 * LANE;
        let colour = mark_colour(mark.status);
        let leader = |from: f64, to: f64| {
            format!(
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999999\" stroke-width=\"0.7\"/>\n",
                n(mark.px),
                n(from),
                n(mark.px),
                n(to)
            )
        };
        if hour_spans.iter().any(|(a, b)| *a <= mark.px && mark.px <= *b) {
            // Broken where it would cross an hour's label.
            leaders.push_str(&leader(axis_y, axis_y + 5.0));
            leaders.push_str(&leader(axis_y + 20.0, ly - 10.0));
        } else {
            leaders.push_str(&leader(axis_y, ly - 10.0));
        }
        leaders.push_str(&format!("<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{colour}\"/>\n", n(mark.px), n(axis_y)));
        // A white ground, so a leader passing behind (see place_marks) stops at the label.
        labels.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n",
            n(x0 - 1.0),
            n(ly - 10.0),
            n(mark.width + 2.0),
            n(LANE - 4.0)
        ));
        labels.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>\n",
            n(*x0),
            n(ly),
            n(TEXT),
            if mark.status.is_some() { colour } else { "#222222" },
            escape(&mark.label)
        ));
    }
    body.push_str(&leaders);
    body.push_str(&labels);
    // The legend: each band's colour, name and period, in rows.
    let mut ly = lanes_top + lane_count.max(1) as f64 * LANE + 8.0;
    let mut lx = LEFT;
    for band in &picture.bands {
        let (fill, edge) = colours(band.kind);
        let period = Period { start: band.start, end: (!band.open).then_some(band.end), approximate: false };
        let text = format!("{} {}", band_label(band.kind, lang), style.format_period(&period, lang));
        let w = 16.0 + estimate_width(&text, TEXT - 1.0);
        if lx > LEFT && lx + w > WIDTH - 4.0 {
            lx = LEFT;
            ly += LANE;
        }
        body.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{fill}\" stroke=\"{edge}\" stroke-width=\"1\"/>\n",
            n(lx),
            n(ly - 9.0)
        ));
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#333333\">{}</text>\n",
            n(lx + 14.0),
            n(ly),
            n(TEXT - 1.0),
            escape(&text)
        ));
        lx += w + 14.0;
    }
    if !picture.bands.is_empty() {
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#333333\">{}</text>\n",
            n(8.0),
            n(lanes_top + lane_count.max(1) as f64 * LANE + 8.0),
            n(TEXT),
            if lang == Lang::Ja { "凡例" } else { "Legend" }
        ));
    }
    let height = ly + 8.0;

    let (title, desc) = describe(picture, style, lang);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"{FONT}\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<g>\n{body}</g>\n</svg>\n",
        escape(&title),
        escape(&desc),
        w = n(WIDTH),
        h = n(height),
    )
}

/// Nothing to draw yet: the picture says so.
fn empty(picture: &Picture, style: &PeriodStyle, lang: Lang, id: &str) -> String {
    let (title, desc) = describe(picture, style, lang);
    let note = match lang {
        Lang::Ja => "経緯の項目はまだありません",
        Lang::En => "No timeline entries yet",
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} 40\" width=\"{w}\" height=\"40\" font-family=\"{FONT}\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"40\" fill=\"#ffffff\"/>\n<text x=\"8\" y=\"24\" font-size=\"{}\" fill=\"#555555\">{note}</text>\n</svg>\n",
        escape(&title),
        escape(&desc),
        n(TEXT),
        w = n(WIDTH),
    )
}

/// The picture's title and its description in words (what a screen reader says).
pub fn describe(picture: &Picture, style: &PeriodStyle, lang: Lang) -> (String, String) {
    let title = match lang {
        Lang::Ja => format!("経緯の図：{}", picture.title),
        Lang::En => format!("Timeline: {}", picture.title),
    };
    let mut parts = Vec::new();
    for band in &picture.bands {
        let period = Period { start: band.start, end: (!band.open).then_some(band.end), approximate: false };
        let sep = if lang == Lang::Ja { " " } else { ": " };
        parts.push(format!("{}{sep}{}", band_label(band.kind, lang), style.format_period(&period, lang)));
    }
    let count = picture.entries.iter().filter(|e| !e.text(lang).trim().is_empty()).count();
    let summary = match lang {
        Lang::Ja => format!("{}。出来事{count}件", parts.join("、")),
        Lang::En => format!("{}. {count} events", parts.join("; ")),
    };
    let lines: Vec<String> = picture
        .entries
        .iter()
        .filter(|e| !e.text(lang).trim().is_empty())
        .map(|e| format!("{} {}", style.format_entry_time(e, lang), e.text(lang).trim()))
        .collect();
    let sep = if lang == Lang::Ja { "：" } else { ": " };
    (title, format!("{summary}{sep}{}", lines.join(if lang == Lang::Ja { "／" } else { " / " })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jst(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Tokyo.with_ymd_and_hms(2026, 6, d, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn entry(at: DateTime<Utc>, status: Option<Status>, ja: &str, en: &str) -> TimelineEntry {
        TimelineEntry { at, approximate: false, status, ja: ja.into(), en: en.into() }
    }

    fn picture() -> Picture {
        Picture {
            title: "T".into(),
            bands: vec![
                Band { kind: BandKind::Phase(Status::Investigating), start: jst(14, 23, 0), end: jst(15, 1, 0), open: false },
                Band { kind: BandKind::Phase(Status::Identified), start: jst(15, 1, 0), end: jst(15, 4, 0), open: false },
            ],
            entries: vec![
                entry(jst(14, 23, 0), Some(Status::Investigating), "調査開始", "Began investigating"),
                entry(jst(15, 4, 0), Some(Status::Resolved), "復旧", "Recovered"),
            ],
        }
    }

    #[test]
    fn phases_come_from_the_entries_that_mark_a_status() {
        let mut inc = Incident::new(Kind::Incident);
        let mut u = desk_model::Update::new(Status::Postmortem);
        u.timeline = vec![
            entry(jst(15, 9, 0), Some(Status::Investigating), "a", "a"),
            entry(jst(15, 9, 30), None, "b", "b"),
            entry(jst(15, 10, 0), Some(Status::Identified), "c", "c"),
            entry(jst(15, 12, 0), Some(Status::Resolved), "d", "d"),
        ];
        inc.updates.push(u);
        inc.period = Some(Period { start: jst(15, 8, 0), end: Some(jst(15, 12, 0)), approximate: false });
        let p = Picture::of(&inc, 0, Lang::En);
        let got: Vec<(BandKind, DateTime<Utc>, DateTime<Utc>)> = p.bands.iter().map(|b| (b.kind, b.start, b.end)).collect();
        assert_eq!(
            got,
            vec![
                (BandKind::Impact, jst(15, 8, 0), jst(15, 12, 0)),
                (BandKind::Phase(Status::Investigating), jst(15, 9, 0), jst(15, 10, 0)),
                (BandKind::Phase(Status::Identified), jst(15, 10, 0), jst(15, 12, 0)),
            ]
        );
        // A maintenance's period is its planned window, unless an update sets the window.
        inc.kind = Kind::Maintenance;
        assert_eq!(Picture::of(&inc, 0, Lang::En).bands[0].kind, BandKind::Window);
        inc.updates[0].maintenance = Some(desk_model::MaintenanceWindow::new(jst(15, 7, 0), jst(15, 11, 0)));
        let p = Picture::of(&inc, 0, Lang::En);
        assert_eq!((p.bands[0].kind, p.bands[0].start, p.bands[0].end), (BandKind::Window, jst(15, 7, 0), jst(15, 11, 0)));
        // An incident opened from a maintenance shows that window above its impact.
        inc.kind = Kind::Incident;
        let window = Period { start: jst(14, 22, 0), end: Some(jst(15, 6, 0)), approximate: false };
        let p = Picture::of(&inc, 0, Lang::Ja).with_window(&window);
        let kinds: Vec<BandKind> = p.bands.iter().map(|b| b.kind).collect();
        assert_eq!(kinds[..2], [BandKind::Window, BandKind::Impact]);
        let svg = to_svg(&p, &PeriodStyle::default(), Lang::Ja, "w");
        assert!(svg.contains(">作業予定時間</text>") && svg.contains("作業予定時間 2026/06/14 22:00〜2026/06/15 06:00"), "{svg}");
    }

    #[test]
    fn days_and_hours_are_the_organisations() {
        let style = PeriodStyle::default();
        let svg = to_svg(&picture(), &style, Lang::Ja, "t");
        assert!(svg.contains(">6月14日(日)</text>"), "{svg}");
        assert!(svg.contains(">6月15日(月)</text>"), "{svg}");
        assert!(svg.contains(">23:00</text>"), "{svg}");
        let en = to_svg(&picture(), &style, Lang::En, "t");
        assert!(en.contains(">Mon, Jun 15</text>"), "{en}");
        assert!(en.contains("Began investigating"), "{en}");
        // In UTC the same moments fall on one day, 14:00 to 19:00.
        let utc = PeriodStyle { time_zone: chrono_tz::UTC, ..PeriodStyle::default() };
        let svg = to_svg(&picture(), &utc, Lang::Ja, "t");
        assert!(!svg.contains("6月15日"), "{svg}");
        assert!(svg.contains(">14:00</text>"), "{svg}");
    }

    #[test]
    fn it_says_what_it_shows_and_the_same_twice() {
        let style = PeriodStyle::default();
        let svg = to_svg(&picture(), &style, Lang::En, "pm-en");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"pm-en-title pm-en-desc\""), "{svg}");
        assert!(svg.contains("<title id=\"pm-en-title\">Timeline: T</title>"), "{svg}");
        assert!(svg.contains("Investigating: Jun 14, 2026 23:00 – Jun 15, 2026 01:00 JST"), "{svg}");
        assert!(svg.contains("23:00 Began investigating / 04:00 Recovered"), "{svg}");
        assert_eq!(svg, to_svg(&picture(), &style, Lang::En, "pm-en"));
    }

    #[test]
    fn nothing_to_draw_says_so() {
        let p = Picture { title: "T".into(), bands: vec![], entries: vec![] };
        let svg = to_svg(&p, &PeriodStyle::default(), Lang::Ja, "e");
        assert!(svg.contains(">経緯の項目はまだありません</text>") && !svg.contains("1970"), "{svg}");
    }

    #[test]
    fn hostile_text_stays_text() {
        let mut p = picture();
        p.title = "</title><script>alert(1)</script>".into();
        p.entries[0].en = "\"><foreignObject onload=\"x()\"><a href='javascript:1'>&".into();
        let svg = to_svg(&p, &PeriodStyle::default(), Lang::En, "x");
        for bad in ["<script", "<foreignObject", "<a ", "onload=\"", "href=\"", "href='"] {
            assert!(!svg.contains(bad), "{bad} in {svg}");
        }
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }

    /// Each `<text>` of the picture: left edge, right edge, baseline, size (by the estimate).
    fn texts(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
        let attr = |line: &str, name: &str| -> f64 {
            let at = line.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            line[at..at + line[at..].find('"').unwrap()].parse().unwrap()
        };
        svg.lines()
            .filter(|l| l.starts_with("<text "))
            .map(|l| {
                let content = &l[l.find('>').unwrap() + 1..l.rfind("</text>").unwrap()];
                let (x, y, size) = (attr(l, "x"), attr(l, "y"), attr(l, "font-size"));
                let w = estimate_width(content, size);
                let x0 = if l.contains("text-anchor=\"middle\"") { x - w / 2.0 } else if l.contains("text-anchor=\"end\"") { x - w } else { x };
                (x0, x0 + w, y, size, content.to_string())
            })
            .collect()
    }

    #[test]
    fn labels_stand_below_the_hours_and_clear_of_each_other_and_the_days_too() {
        // Many entries close together, the axis starting an hour before midnight.
        let mut p = picture();
        for (h, m) in [(23, 10), (23, 20), (23, 40), (0, 0), (0, 5), (0, 30), (1, 0), (1, 10), (2, 0), (3, 50)] {
            let d = if h == 23 { 14 } else { 15 };
            p.entries.push(entry(jst(d, h, m), None, "通信量の急増を確認し、調査を開始", "Saw a surge in network traffic"));
        }
        // A long axis: the first midnight close to its start.
        p.entries.push(entry(jst(16, 12, 0), Some(Status::Resolved), "復旧を確認", "Confirmed the recovery"));
        let style = PeriodStyle::default();
        for lang in Lang::ALL {
            let svg = to_svg(&p, &style, lang, "t");
            let all = texts(&svg);
            let hours: Vec<_> = all.iter().filter(|t| t.3 == TEXT - 1.0 && t.4.len() == 5 && t.4.as_bytes()[2] == b':').collect();
            let hour_bottom = hours.iter().map(|t| t.2 + 2.0).fold(0.0, f64::max);
            let labels: Vec<_> = all.iter().filter(|t| t.3 == TEXT && t.2 > hour_bottom - 10.0 && !t.4.contains("凡例") && t.4 != "Legend").collect();
            assert_eq!(labels.len(), p.entries.len(), "{svg}");
            for (i, a) in labels.iter().enumerate() {
                // Its top (about 0.9 em above the baseline) below the hours' labels.
                assert!(a.2 - 0.9 * TEXT > hour_bottom, "{a:?} over the hours' labels");
                assert!(a.0 >= 0.0 && a.1 <= WIDTH, "{a:?} outside the picture");
                for b in &labels[i + 1..] {
                    assert!(a.2 != b.2 || a.1 <= b.0 || b.1 <= a.0, "{a:?} over {b:?}");
                }
            }
            let days: Vec<_> = all.iter().filter(|t| t.2 < 30.0).collect();
            assert!(!days.is_empty());
            for (i, a) in days.iter().enumerate() {
                for b in &days[i + 1..] {
                    assert!(a.1 + GAP <= b.0 || b.1 + GAP <= a.0, "{a:?} over {b:?}");
                }
            }
            assert_eq!(svg, to_svg(&p, &style, lang, "t"));
        }
    }
}
