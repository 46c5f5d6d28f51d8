//! Japanese for the English error messages of the lower crates (the store,
//! the database's triggers, publishing settings, the keychain, the Statuspage
//! client) and of the app itself, for the Japanese UI.
//!
//! Only `std`: a message is recognised by its fixed wording, and its variable
//! parts (ids, revision numbers, names, field names, paths) are cut out with
//! plain string operations and carried into the Japanese. A message that
//! wraps another ("could not read the components of page X: <client error>")
//! is translated part by part; an inner part we do not know is shown as it is,
//! as a detail in parentheses.

/// The Japanese for an English error message from the store, the database's
/// triggers, publishing settings, the keychain or the Statuspage client; None when
/// the message is not one we know (the caller then shows a generic Japanese frame
/// around the English text).
pub fn japanese(english: &str) -> Option<String> {
    let text = english.trim();
    if text.is_empty() {
        return None;
    }
    translate(text)
}

/// One family of messages: the Japanese when the message is one of it.
type Family = fn(&str) -> Option<String>;

/// Tried in order. The families that wrap other messages come first, so a
/// wrapped database refusal keeps its context; the database's own messages,
/// matched anywhere in the text (PostgreSQL and sqlx add prefixes and
/// suffixes), come last.
const FAMILIES: &[Family] = &[
    publish_engine,
    app_messages,
    update_conflict,
    incident_conflict,
    template_conflict,
    published_update,
    not_found,
    unsupported,
    glossary_input,
    invalid_template,
    store_infrastructure,
    review_refusals,
    publish_refusals,
    page_settings,
    keychain,
    api_key,
    statuspage_api,
    statuspage_limits,
    database_rules,
];

fn translate(message: &str) -> Option<String> {
    let s = without_database_context(message);
    if s.is_empty() {
        return None;
    }
    // sqlx: "database error: error returned from database: (code: 1811) …".
    if let Some(rest) = s.strip_prefix("database error: ") {
        let inner = without_database_prefixes(rest);
        return Some(translate(inner).unwrap_or_else(|| format!("データベースでエラーが発生しました（詳細: {inner}）。")));
    }
    let inner = without_database_prefixes(s);
    if inner.len() != s.len() {
        return translate(inner);
    }
    FAMILIES.iter().find_map(|family| family(s))
}

/// Drops what PostgreSQL appends to a message (CONTEXT, DETAIL, HINT lines).
fn without_database_context(s: &str) -> &str {
    let s = s.trim();
    let cut = ["\nCONTEXT:", "\nDETAIL:", "\nHINT:", "\nWHERE:"].iter().filter_map(|m| s.find(m)).min();
    match cut {
        Some(i) => s[..i].trim_end(),
        None => s,
    }
}

/// Drops what sqlx and PostgreSQL put before a database's message.
fn without_database_prefixes(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let before = s.len();
        for prefix in ["error returned from database: ", "ERROR:", "error:"] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.trim_start();
            }
        }
        // SQLite's "(code: 1811) " before the trigger's message.
        if let Some(rest) = s.strip_prefix("(code: ") {
            if let Some((code, rest)) = rest.split_once(") ") {
                if int(code).is_some() {
                    s = rest.trim_start();
                }
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers

/// The text when it is a whole number (ids, revisions, counts).
fn int(s: &str) -> Option<&str> {
    let t = s.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(t)
}

/// `head`, then the Japanese of `inner`, or `inner` itself as a detail.
fn with_detail(head: &str, inner: &str) -> String {
    let inner = inner.trim();
    if inner.is_empty() {
        return format!("{head}。");
    }
    match translate(inner) {
        Some(ja) => format!("{head}。{ja}"),
        None => format!("{head}（詳細: {inner}）。"),
    }
}

/// A status's Japanese name; an unknown one as it is.
fn status_ja(status: &str) -> String {
    let status = status.trim();
    match status {
        "investigating" => "調査中",
        "identified" => "原因特定",
        "monitoring" => "監視中",
        "resolved" => "解決済み",
        "postmortem" => "事後報告",
        "scheduled" => "予定",
        "in_progress" => "実施中",
        "verifying" => "確認中",
        "completed" => "完了",
        other => return other.to_string(),
    }
    .to_string()
}

/// `word` before a particle: a space between a Latin ending and the kana
/// ("ページ ID が"), none after Japanese ("用語集の項目が").
fn spaced(word: &str) -> String {
    match word.chars().last() {
        Some(c) if c.is_ascii_alphanumeric() || c == '.' || c == ')' => format!("{word} "),
        _ => word.to_string(),
    }
}

fn kind_ja(kind: &str) -> String {
    match kind.trim() {
        "incident" => "インシデント".to_string(),
        "maintenance" => "メンテナンス".to_string(),
        other => other.to_string(),
    }
}

fn table_ja(table: &str) -> String {
    match table {
        "audit_log" => "監査ログ",
        "reviews" => "レビューの記録",
        "publications" => "公開の記録",
        "template_versions" => "テンプレートの版の履歴",
        "revisions" => "リビジョン",
        other => return format!("テーブル {other} "),
    }
    .to_string()
}

/// "10s" → "10 秒", "500ms" → "500 ミリ秒" (a `Duration`'s `{:?}`).
fn duration_ja(d: &str) -> String {
    let number = |n: &str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if let Some(n) = d.strip_suffix("ms").filter(|n| number(n)) {
        return format!("{n} ミリ秒");
    }
    if let Some(n) = d.strip_suffix('s').filter(|n| number(n)) {
        return format!("{n} 秒");
    }
    d.to_string()
}

// ---------------------------------------------------------------------------
// The store (crates/store/src/error.rs and where its errors are built)

/// `StoreError::Conflict`.
fn update_conflict(s: &str) -> Option<String> {
    let rest = s.strip_prefix("update ")?;
    let (update, rest) = rest.split_once(" was changed elsewhere: you edited revision ")?;
    let (yours, rest) = rest.split_once(", but revision ")?;
    let (theirs, _) = rest.split_once(" was saved meanwhile")?;
    let (update, yours, theirs) = (int(update)?, int(yours)?, int(theirs)?);
    Some(format!(
        "更新 {update} は、編集中に別の場所で変更されました（編集を始めたのはリビジョン {yours}、その後リビジョン {theirs} が保存されています）。入力した文章は保存されていませんが、失われずに手元に残っています。"
    ))
}

/// `StoreError::IncidentConflict`.
fn incident_conflict(s: &str) -> Option<String> {
    let rest = s.strip_prefix("incident ")?;
    let (id, rest) = rest.split_once(" was changed elsewhere (you had version ")?;
    let (had, rest) = rest.split_once(", it is now at ")?;
    let now = rest.strip_suffix(')')?;
    Some(format!(
        "インシデント {id} は、編集中に別の場所で変更されました（編集を始めたのはバージョン {had}、現在はバージョン {now}）。最新の内容を読み込んでから、もう一度変更してください。"
    ))
}

/// `StoreError::TemplateConflict`.
fn template_conflict(s: &str) -> Option<String> {
    let (path, rest) = s.split_once(" was changed elsewhere (you edited version ")?;
    let (expected, rest) = rest.split_once(", it is now at version ")?;
    let (current, _) = rest.split_once(')')?;
    Some(format!(
        "{path} は、編集中に別の場所で変更されました（編集を始めたのはバージョン {expected}、現在はバージョン {current}）。何も保存されていません。"
    ))
}

/// `StoreError::Published`.
fn published_update(s: &str) -> Option<String> {
    let id = s.strip_prefix("update ")?.strip_suffix(" is published; published updates are not edited as drafts")?;
    Some(format!("更新 {id} は公開済みです。公開済みの更新は下書きとして編集できません。"))
}

/// `StoreError::NotFound` ("{what} {id} does not exist"), and the app's
/// "that update does not exist".
fn not_found(s: &str) -> Option<String> {
    if s == "that update does not exist" {
        return Some("その更新は見つかりません。".into());
    }
    let rest = s.strip_suffix(" does not exist")?;
    let (what, id) = rest.rsplit_once(' ')?;
    let id = int(id)?;
    let what = match what {
        "incident" => "インシデント",
        "update" => "更新",
        "revision" => "リビジョン",
        "template version" => "テンプレートのバージョン",
        "glossary entry" => "用語集の項目",
        "incident (with an update)" => "更新のあるインシデント",
        other => other,
    };
    Some(format!("{what} {id} が見つかりません。"))
}

/// `StoreError::Unsupported` (crates/store/src/lib.rs, templates.rs).
fn unsupported(s: &str) -> Option<String> {
    if let Some(rest) = s.strip_prefix("the database's schema is at version ") {
        let (at, needs) = rest.split_once(", the store needs ")?;
        return Some(format!(
            "データベースのスキーマがバージョン {at} のため使えません（このアプリにはバージョン {needs} が必要です）。"
        ));
    }
    if let Some(what) = s.strip_suffix(" is not available in team mode (PostgreSQL) yet") {
        let what = match what {
            "search" => "検索",
            other => other,
        };
        return Some(format!("{what}は、チームモード（PostgreSQL）ではまだ使えません。"));
    }
    if s == "in team mode your identity is your database role; log in as that role instead" {
        return Some(
            "チームモードでは、データベースのロールがそのままあなたの名前になります。別の名前で操作するには、そのロールでログインしてください。"
                .into(),
        );
    }
    if s == "a postgres:// URL is opened with Store::open, not as a SQLite file" {
        return Some("postgres:// で始まる URL は、SQLite のファイルとしては開けません。チームモードのデータベースとして開いてください。".into());
    }
    if let Some(x) = s.strip_prefix('`').and_then(|r| r.strip_suffix("` is not a SQLite file path, a sqlite: URL or a postgres:// URL")) {
        return Some(format!("「{x}」は、SQLite ファイルのパス、sqlite: の URL、postgres:// の URL のいずれでもありません。"));
    }
    if let Some(path) = s.strip_suffix(" is not a file of the template library") {
        return Some(format!("{path} はテンプレートライブラリのファイルではありません。"));
    }
    None
}

/// `StoreError::Invalid` from the glossary ("{field}: {message}").
fn glossary_input(s: &str) -> Option<String> {
    let (field, message) = s.split_once(": ")?;
    let label = match field {
        "Japanese term" => "日本語の用語",
        "English term" => "英語の用語",
        _ => return None,
    };
    if message.starts_with("is empty") {
        return Some(format!("{label}が入力されていません。決められた表記どおりに入力してください。"));
    }
    if let Some((n, max)) = message.strip_prefix("is ").and_then(|r| r.split_once(" characters long; a term has at most ")) {
        return Some(format!("{label}が {n} 文字あります。用語は {max} 文字以内で入力してください。"));
    }
    if message.starts_with("must be on one line") {
        return Some(format!("{label}は 1 行で入力してください（改行やタブは使えません）。"));
    }
    if let Some(pair) = message.strip_suffix(" is already in the glossary") {
        let pair = pair.trim().trim_start_matches('“').trim_end_matches('”');
        let (ja, en) = pair.split_once("” / “")?;
        return Some(format!("「{ja}」/「{en}」は、すでに用語集に登録されています。"));
    }
    None
}

/// `StoreError::InvalidTemplate` ("{path} was not saved: {problems}"). The
/// problems are the template checker's findings: kept as they are, except
/// the store's own "not a file of the template library".
fn invalid_template(s: &str) -> Option<String> {
    let (path, problems) = s.split_once(" was not saved: ")?;
    let place = if path == "the library" { "テンプレートライブラリ".to_string() } else { format!("{path} ") };
    let problems: Vec<String> = problems.split("; ").map(template_problem).collect();
    Some(format!("{place}は保存されませんでした。次の問題を直してください（{}）。", problems.join(" / ")))
}

fn template_problem(problem: &str) -> String {
    match problem.strip_suffix("not a file of the template library (settings.toml or KIND/STATUS.LANG.md)") {
        Some(head) => format!("{head}テンプレートライブラリのファイルではありません（settings.toml または 種類/ステータス.言語.md のみ）"),
        None => problem.to_string(),
    }
}

/// `StoreError::Folder`, `Connect`, `Migrate`, `Json` (`Sql` is
/// "database error: …", handled in `translate`).
fn store_infrastructure(s: &str) -> Option<String> {
    if let Some(rest) = s.strip_prefix("cannot create the database's folder ") {
        let (path, why) = rest.rsplit_once(": ")?;
        return Some(with_detail(&format!("データベースのフォルダ {path} を作成できません"), why));
    }
    if let Some(rest) = s.strip_prefix("cannot connect to PostgreSQL (") {
        let (target, why) = rest.split_once("): ")?;
        return Some(with_detail(&format!("PostgreSQL（{target}）に接続できません"), why));
    }
    if let Some(why) = s.strip_prefix("the database's schema cannot be brought up to date: ") {
        return Some(with_detail("データベースのスキーマを最新の状態に更新できません", why));
    }
    if let Some(why) = s.strip_prefix("stored JSON cannot be read: ") {
        return Some(with_detail("保存されているデータ（JSON）を読み取れません", why));
    }
    if let Some(why) = s.strip_prefix("stored settings cannot be read: ") {
        return Some(with_detail("保存されている設定を読み取れません", why));
    }
    None
}

/// `StoreError::Refused` from reviewing (crates/store/src/review.rs).
fn review_refusals(s: &str) -> Option<String> {
    if s == "a request for changes needs at least one comment, none of them empty" {
        return Some("修正を依頼するには、コメントを 1 件以上書いてください（空のコメントは送れません）。".into());
    }
    if let Some(rest) = s.strip_prefix("the passage ") {
        let (range, rest) = rest.split_once(' ')?;
        if let Some(rest) = rest.strip_prefix("is outside the ") {
            let (lang, rest) = rest.split_once(" text (")?;
            let n = rest.strip_suffix(" characters)")?;
            let lang = match lang {
                "Japanese" => "日本語",
                "English" => "英語",
                other => other,
            };
            return Some(format!("コメントの対象箇所（{range}）が、{lang}の本文（{n} 文字）の範囲外です。"));
        }
        let rest = rest.strip_prefix("reads 「")?;
        let (actual, rest) = rest.split_once("」, not 「")?;
        let quoted = rest.strip_suffix('」')?;
        return Some(format!(
            "コメントの対象箇所（{range}）の本文は「{actual}」で、引用された「{quoted}」と一致しません。本文が変更された可能性があります。"
        ));
    }
    if let Some(id) = s.strip_prefix("update ").and_then(|r| r.strip_suffix(" is published; there is nothing to review")) {
        return Some(format!("更新 {id} は公開済みのため、レビューするものはありません。"));
    }
    if let Some(rest) = s.strip_prefix("revision ") {
        let (revision, rest) = rest.split_once(" is not the current one (revision ")?;
        let (current, _) = rest.split_once(" is)")?;
        return Some(format!(
            "リビジョン {revision} は最新ではありません（最新はリビジョン {current} です）。公開されるのは最新のリビジョンなので、そちらをレビューしてください。"
        ));
    }
    if let Some(rest) = s.strip_prefix("self-approval refused: ") {
        let (who, rest) = rest.split_once(" wrote revision ")?;
        let (revision, _) = rest.split_once(';')?;
        return Some(format!(
            "自分が書いた版（リビジョン {revision}、作成者 {who}）は承認できません。別の方の承認が必要です。"
        ));
    }
    None
}

/// Publishing refused: by the store (review.rs), by the review gate
/// (gate.rs), and the app's own emergency-publish checks.
fn publish_refusals(s: &str) -> Option<String> {
    if let Some(rest) = s.strip_prefix("publish refused: ") {
        if rest == "not authorised" {
            return Some("公開できません。この公開はまだ許可されていません（承認、または緊急公開の手続きが必要です）。".into());
        }
        if let Some(rest) = rest.strip_prefix("revision ") {
            if let Some((revision, rest)) = rest.split_once(" is not the current one (revision ") {
                let current = rest.strip_suffix(" is)")?;
                return Some(format!("公開できません。リビジョン {revision} は最新ではありません（最新はリビジョン {current} です）。"));
            }
            if let Some((revision, rest)) = rest.split_once(" has no approval by someone other than its author (") {
                let author = rest.strip_suffix(')')?;
                return Some(format!(
                    "公開できません。リビジョン {revision} は、作成者（{author}）以外の方の承認をまだ得ていません。"
                ));
            }
            return None;
        }
        if let Some(rest) = rest.strip_prefix("the authorised publish is update ") {
            let (update, rest) = rest.split_once(" of incident ")?;
            let (incident, rest) = rest.split_once(", not update ")?;
            let (job_update, job_incident) = rest.split_once(" of incident ")?;
            return Some(format!(
                "公開できません。許可されているのはインシデント {incident} の更新 {update} で、インシデント {job_incident} の更新 {job_update} ではありません。"
            ));
        }
        if let Some(rest) = rest.strip_prefix("the approved revision's status is ") {
            let (approved, job) = rest.split_once(", the job's is ")?;
            return Some(format!(
                "公開できません。承認された版のステータスは「{}」ですが、公開しようとしている内容のステータスは「{}」です。",
                status_ja(approved),
                status_ja(job)
            ));
        }
        return None;
    }
    if s.starts_with("an emergency publish needs a reason") {
        return Some("緊急公開には理由が必要です。承認を待てない理由を書いてください。".into());
    }
    if let Some(rest) = s.strip_prefix("emergency publish refused: the policy does not allow publishing ") {
        let rest = rest.strip_suffix(" without approval")?;
        return Some(match rest.strip_suffix(" (beyond an incident's first update)") {
            Some(status) => format!(
                "緊急公開できません。ポリシーでは、インシデントの最初の更新以外で「{}」の更新を承認なしで公開することは認められていません。",
                status_ja(status)
            ),
            None => format!(
                "緊急公開できません。ポリシーでは、「{}」の更新を承認なしで公開することは認められていません。",
                status_ja(rest)
            ),
        });
    }
    if let Some(n) = s.strip_prefix("update ").and_then(|r| r.strip_suffix(" is already published: there is no draft to publish without approval")) {
        return Some(format!("更新 {n} はすでに公開済みです。承認なしで公開する下書きはありません。"));
    }
    None
}

/// The database's triggers (crates/store/migrations/*.sql and
/// migrations/postgres/*.sql) and PostgreSQL's "permission denied": matched
/// anywhere in the text, since the driver adds to it.
fn database_rules(s: &str) -> Option<String> {
    const RULES: &[(&str, &str)] = &[
        ("self-approval refused: the author of a revision cannot approve it", "自分が書いた版は承認できません。別の方の承認が必要です。"),
        ("publish refused: only the current revision can be published", "公開できません。公開できるのは最新のリビジョンだけです。"),
        (
            "publish refused: no approval of this exact revision by someone other than its author",
            "公開できません。この版には、作成者以外の方による承認がありません（承認後に内容が変わった場合は、もう一度承認が必要です）。",
        ),
        (
            "emergency publish refused: the policy does not allow this status without approval",
            "緊急公開できません。ポリシーでは、このステータスの更新を承認なしで公開することは認められていません。",
        ),
        ("publish refused: no publication recorded for this revision", "公開できません。この版の公開の記録がありません。"),
        ("review of a revision that does not exist", "存在しないリビジョンはレビューできません。"),
        ("revisions are immutable", "保存済みのリビジョンは変更できません。"),
    ];
    for (en, ja) in RULES {
        if s.contains(en) {
            return Some(ja.to_string());
        }
    }
    for marker in [" is append-only", " are append-only"] {
        if let Some(i) = s.find(marker) {
            let table = s[..i]
                .rsplit(|c: char| c.is_whitespace() || c == ':')
                .next()
                .unwrap_or("")
                .trim_matches(|c| c == '"' || c == '\'' || c == '`');
            return Some(format!("{}は追記専用のため、変更や削除はできません。", table_ja(table)));
        }
    }
    if let Some(i) = s.find("permission denied for ") {
        let rest = &s[i + "permission denied for ".len()..];
        let (kind, name) = rest.split_once(' ').unwrap_or(("", rest));
        let name = name.trim().trim_matches('"');
        if name == "emergency_policy" {
            return Some("緊急公開のポリシーを変更する権限がありません。変更できるのは管理者（desk_admin）だけです。".into());
        }
        let kind = match kind {
            "table" | "relation" => "テーブル",
            "schema" => "スキーマ",
            "sequence" => "シーケンス",
            "function" => "関数",
            "database" => "データベース",
            other => other,
        };
        return Some(format!("この操作を行う権限がありません（{kind} {name}）。"));
    }
    None
}

// ---------------------------------------------------------------------------
// Publishing (crates/publish/src/target.rs, engine.rs, log.rs)

/// `SettingsError` ("{field}: {message}").
fn page_settings(s: &str) -> Option<String> {
    let (field, message) = s.split_once(": ")?;
    let label = spaced(match field {
        "page id" => "ページ ID",
        "Japanese page id" => "日本語ページの ID",
        "English page id" => "英語ページの ID",
        "component mapping" => "コンポーネントの対応表",
        _ => return None,
    });
    if let Some((n, max)) = message.strip_prefix("is ").and_then(|r| r.split_once(" characters long; a page id has at most ")) {
        return Some(format!("{label}が {n} 文字あります。ページ ID は {max} 文字以内です。"));
    }
    if let Some((what, _)) = message.split_once(" cannot be part of a page id") {
        let what = if what == "a space" {
            "スペース".to_string()
        } else {
            format!("「{}」", what.trim_start_matches('“').trim_end_matches('”'))
        };
        return Some(format!(
            "{label}に{what}は使えません（使えるのは半角英数字と - と _ だけです）。ページの URL か API の設定画面からコピーしてください。"
        ));
    }
    if message.starts_with("is the same as the Japanese page id") {
        return Some(format!("{label}が日本語ページの ID と同じです。日英 2 ページの構成では、別々のページを指定してください。"));
    }
    if message == "a mapping has no incident component name" {
        return Some("コンポーネントの対応表に、インシデント側のコンポーネント名が空の行があります。".into());
    }
    None
}

/// `PublishError`, `LogError`, a page's outcome and the reasons in it.
fn publish_engine(s: &str) -> Option<String> {
    if let Some(list) = s.strip_prefix("publishing is blocked by lint errors: ") {
        return Some(format!("文章チェックでエラーが見つかったため、公開できません。エラーを直してから公開してください（{list}）。"));
    }
    if let Some(rest) = s.strip_prefix("publishing is blocked:") {
        let lines: Vec<String> = rest
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| translate(l).unwrap_or_else(|| l.to_string()))
            .collect();
        return Some(if lines.is_empty() {
            "公開が止められました。".into()
        } else {
            format!("公開は行われませんでした。\n{}", lines.join("\n"))
        });
    }
    if s == "no target page" {
        return Some("公開先のページが設定されていません。".into());
    }
    if let Some(page) = s.strip_prefix("page ").and_then(|r| r.strip_suffix(": a postmortem needs the incident published there first")) {
        return Some(format!("ページ {page} に事後報告を公開するには、先にそのページでインシデントを公開しておく必要があります。"));
    }
    if let Some(rest) = s.strip_prefix("publish log ") {
        let (path, why) = rest.split_once(": ")?;
        return Some(with_detail(&format!("公開ログ {path} に記録できません"), why));
    }
    if let Some((page, reason)) = s.split_once(": NOT published: ") {
        return Some(with_detail(&format!("{page}：公開されていません"), reason));
    }
    if let Some((page, rest)) = s.split_once(": UNCONFIRMED: ") {
        let reason = rest.strip_suffix("; publish again to check and finish").unwrap_or(rest);
        return Some(format!(
            "{}もう一度公開すると、届いているかを確認してから完了します。",
            with_detail(&format!("{page}：公開できたかどうか確認できていません"), reason)
        ));
    }
    if let Some(e) = s.strip_prefix("could not read the page's components: ") {
        return Some(with_detail("ページのコンポーネントを読み込めませんでした", e));
    }
    if let Some(e) = s.strip_prefix("could not check the earlier attempt: ") {
        return Some(with_detail("前回の送信が届いたかどうかを確認できませんでした", e));
    }
    if let Some((e, check)) = s.split_once("; and the check failed: ") {
        let first = translate(e).unwrap_or_else(|| format!("送信に失敗しました（詳細: {e}）。"));
        return Some(format!("{first}{}", with_detail("さらに、届いたかどうかの確認にも失敗しました", check)));
    }
    if let Some(rest) = s.strip_prefix("no definite answer after ") {
        let (n, last) = rest.split_once(" attempts (")?;
        let last = last.strip_suffix(')').unwrap_or(last);
        return Some(with_detail(&format!("{n} 回送信しましたが、確かな応答がありませんでした"), last));
    }
    if let Some(rest) = s.strip_prefix("component \"") {
        let (name, rest) = rest.split_once("\" is not on page ")?;
        let (page, rest) = rest.split_once(" (it has: ")?;
        let list = rest.strip_suffix(')')?;
        let has = if list.trim().is_empty() {
            "このページにはコンポーネントがありません".to_string()
        } else {
            format!("このページにあるのは: {list}")
        };
        return Some(format!("コンポーネント「{name}」はページ {page} にありません（{has}）。コンポーネントの対応表を確認してください。"));
    }
    if let Some(rest) = s.strip_prefix("could not link ") {
        let (page, e) = rest.split_once(" to its twin: ")?;
        return Some(with_detail(&format!("ページ {page} のインシデントを、もう一方の言語のページのインシデントと関連付けられませんでした"), e));
    }
    None
}

// ---------------------------------------------------------------------------
// The keychain (crates/keychain) and the API key (crates/statuspage/src/key.rs)

/// `KeyStoreError`.
fn keychain(s: &str) -> Option<String> {
    if let Some(why) = s.strip_prefix("the keychain is not available: ") {
        return Some(format!("OS のキーチェーンを利用できません（{}）。", keychain_reason(why)));
    }
    if let Some(why) = s.strip_prefix("the stored key is not usable: ") {
        return Some(with_detail("キーチェーンに保存されている API キーは使えません", why));
    }
    if let Some(why) = s.strip_prefix("the keychain refused: ") {
        return Some(format!("キーチェーンが操作を受け付けませんでした（{}）。", keychain_reason(why)));
    }
    None
}

fn keychain_reason(why: &str) -> String {
    let why = why.trim();
    match why {
        "no Secret Service on the session bus" => return "セッションバスに Secret Service が見つかりません".into(),
        "the stored key is not UTF-8" => return "保存されているキーが UTF-8 ではありません".into(),
        "more than one key is stored" => return "キーが複数保存されています".into(),
        _ => {}
    }
    if let Some((what, max)) = why.split_once(" is longer than ") {
        return format!("{what} が長すぎます（上限 {max}）");
    }
    why.to_string()
}

/// `KeyError` (`ApiKey::new`).
fn api_key(s: &str) -> Option<String> {
    match s {
        "the API key is empty" => Some("API キーが入力されていません。".into()),
        "the API key contains whitespace or control characters" => {
            Some("API キーに空白や制御文字が含まれています。キーだけをコピーして貼り付けてください。".into())
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The Statuspage client (crates/statuspage/src/client.rs, wire.rs)

/// `ApiError` other than `Invalid`: "{what}: …", `what` being the request
/// ("GET /pages/abc/incidents").
fn statuspage_api(s: &str) -> Option<String> {
    ["GET ", "POST ", "PATCH ", "PUT ", "DELETE "].iter().find(|m| s.starts_with(*m))?;
    let (what, rest) = s.split_once(": ")?;
    if let Some(rest) = rest.strip_prefix("refused with ") {
        let (status, message) = rest.split_once(": ").unwrap_or((rest, ""));
        let hint = match status.trim() {
            "400" => "送った内容に誤りがあります。",
            "401" => "API キーが正しくないか、無効になっています。",
            "403" => "この API キーには、この操作の権限がありません。",
            "404" => "ページまたはインシデントが見つかりません。ページ ID を確認してください。",
            "422" => "送った内容が受け付けられませんでした。",
            _ => "",
        };
        let detail = if message.trim().is_empty() { String::new() } else { format!("、{}", message.trim()) };
        return Some(format!(
            "Statuspage が要求（{what}）を受け付けませんでした（HTTP {status}{detail}）。{hint}変更は行われていません。"
        ));
    }
    if let Some(n) = rest.strip_prefix("still rate limited after ").and_then(|r| r.strip_suffix(" attempts")) {
        return Some(format!(
            "Statuspage の送信回数の制限により、{n} 回試しても要求（{what}）を送れませんでした。しばらく待ってから、もう一度お試しください。"
        ));
    }
    if let Some(reason) =
        rest.strip_prefix("no definite answer (").and_then(|r| r.strip_suffix("); the change may or may not have been made"))
    {
        return Some(format!(
            "要求（{what}）に確かな応答がありませんでした（{}）。変更が反映されたかどうかは分かりません。",
            api_reason(reason)
        ));
    }
    if let Some(reason) = rest.strip_prefix("could not connect (").and_then(|r| r.strip_suffix("); nothing was sent")) {
        return Some(format!("Statuspage に接続できませんでした（{}）。要求（{what}）は送られていません。", api_reason(reason)));
    }
    if let Some(reason) = rest.strip_prefix("unreadable answer: ") {
        return Some(format!("要求（{what}）への応答を読み取れませんでした（詳細: {reason}）。"));
    }
    None
}

fn api_reason(reason: &str) -> String {
    let reason = reason.trim();
    if let Some(d) = reason.strip_prefix("no answer within ") {
        return format!("{}以内に応答がありませんでした", duration_ja(d));
    }
    if let Some(n) = reason.strip_prefix("server error ") {
        return format!("サーバーエラー HTTP {n}");
    }
    if let Some(rest) = reason.strip_prefix("answer ") {
        if let Some((n, e)) = rest.split_once(" cut off: ") {
            return format!("応答 HTTP {n} が途中で途切れました: {e}");
        }
    }
    if let Some(e) = reason.strip_prefix("connection failed: ") {
        return format!("接続が切れました: {e}");
    }
    if reason == "no attempt was made" {
        return "送信は試みられていません".into();
    }
    reason.to_string()
}

/// `ApiError::Invalid`: refused before sending.
fn statuspage_limits(s: &str) -> Option<String> {
    match s {
        "an incident needs a title" => return Some("インシデントにはタイトルが必要です。".into()),
        "metadata must be an object whose top-level values are objects" => {
            return Some("メタデータの形式が正しくありません（最上位の値はすべてオブジェクトである必要があります）。".into())
        }
        "no definite answer" => return Some("確かな応答がありませんでした。".into()),
        "no incident to update" => return Some("更新するインシデントがありません。".into()),
        _ => {}
    }
    for (en, ja) in [("the title has ", "タイトル"), ("the body has ", "本文")] {
        if let Some((n, max)) = s.strip_prefix(en).and_then(|r| r.split_once(" characters; Statuspage allows ")) {
            return Some(format!("{ja}が {n} 文字あります。Statuspage では {max} 文字までです。"));
        }
    }
    if let Some(e) = s.strip_prefix("cannot set up HTTP: ") {
        return Some(with_detail("HTTP 通信の準備ができません", e));
    }
    None
}

// ---------------------------------------------------------------------------
// The app's own messages

fn app_messages(s: &str) -> Option<String> {
    match s {
        "the incident has no updates yet" => return Some("このインシデントにはまだ更新がありません。".into()),
        "the incident has no draft" => return Some("このインシデントには下書きがありません。".into()),
        "that update is not in its incident" => return Some("その更新は、このインシデントのものではありません。".into()),
        "give the folder's full path" => return Some("フォルダをフルパスで指定してください。".into()),
        "a sample is not UTF-8" => return Some("サンプルの文字コードが UTF-8 ではありません。".into()),
        _ => {}
    }
    // "there is no update 5; the incident has 3" (the renderer adds " (1 to 3)").
    if let Some(rest) = s.strip_prefix("there is no update ") {
        let (n, rest) = rest.split_once("; the incident has ")?;
        let count = rest.split(" (").next().unwrap_or(rest);
        return Some(format!("更新 {n} はありません（このインシデントの更新は {count} 件です）。"));
    }
    if let Some((status, rest)) = s.split_once(" is not one of this ") {
        let kind = rest.strip_suffix("'s statuses")?;
        if status.contains(' ') {
            return None;
        }
        return Some(format!("「{}」は、この{}で使えるステータスではありません。", status_ja(status), kind_ja(kind)));
    }
    if let Some((status, kind)) = s.split_once(" is not a status of a ") {
        if status.contains(' ') {
            return None;
        }
        return Some(format!("「{}」は{}のステータスではありません。", status_ja(status), kind_ja(kind)));
    }
    if let Some(dir) = s.strip_prefix('`').and_then(|r| r.strip_suffix("` is not a full path: give the folder's full path, e.g. /home/you/templates")) {
        return Some(format!("「{dir}」はフルパスではありません。フォルダをフルパスで指定してください（例: /home/you/templates）。"));
    }
    if let Some(rest) = s.strip_prefix("could not read the components of page ") {
        let (page, e) = rest.split_once(": ")?;
        return Some(with_detail(&format!("ページ {page} のコンポーネントを読み込めませんでした"), e));
    }
    if let Some(rest) = s.strip_prefix("cannot read the incident templates of page ") {
        let (page, e) = rest.split_once(": ")?;
        return Some(with_detail(&format!("ページ {page} のインシデントテンプレートを読み込めません"), e));
    }
    if let Some(e) = s.strip_prefix("the desktop notification could not be shown: ") {
        return Some(with_detail("デスクトップ通知を表示できませんでした", e));
    }
    if let Some(rest) = s.strip_prefix("DESK_TEMPLATES=") {
        let (dir, problems) = rest.split_once(": nothing imported: ")?;
        return Some(format!("DESK_TEMPLATES={dir} のテンプレートは取り込まれませんでした（問題: {problems}）。"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_japanese(s: &str) -> bool {
        s.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// The Japanese of `en`, checked to be Japanese and to carry `values`.
    fn ja(en: &str, values: &[&str]) -> String {
        let out = japanese(en).unwrap_or_else(|| panic!("not translated: {en}"));
        assert!(is_japanese(&out), "not Japanese: {out}");
        for v in values {
            assert!(out.contains(v), "{v:?} missing from {out:?} (for {en:?})");
        }
        out
    }

    #[test]
    fn unknown_messages_are_left_to_the_caller() {
        assert_eq!(japanese("something nobody wrote"), None);
        assert_eq!(japanese("   "), None);
        assert_eq!(japanese("page: x"), None);
        assert_eq!(japanese("the file 3 is gone"), None);
    }

    #[test]
    fn save_conflicts() {
        ja(
            "update 3 was changed elsewhere: you edited revision 2, but revision 3 was saved meanwhile; your text was not saved and is returned to you",
            &["更新 3", "リビジョン 2", "リビジョン 3", "保存されていません"],
        );
        ja("incident 9 was changed elsewhere (you had version 4, it is now at 5)", &["インシデント 9", "バージョン 4", "バージョン 5"]);
        ja(
            "incident/resolved.ja.md was changed elsewhere (you edited version 1, it is now at version 2); nothing was saved",
            &["incident/resolved.ja.md", "バージョン 1", "バージョン 2", "何も保存されていません"],
        );
    }

    #[test]
    fn missing_things() {
        ja("incident 9 does not exist", &["インシデント 9", "見つかりません"]);
        ja("update 12 does not exist", &["更新 12"]);
        ja("revision 4 does not exist", &["リビジョン 4"]);
        ja("template version 7 does not exist", &["テンプレートのバージョン 7"]);
        ja("glossary entry 5 does not exist", &["用語集の項目 5"]);
        ja("incident (with an update) 8 does not exist", &["インシデント 8"]);
        ja("that update does not exist", &["その更新"]);
    }

    #[test]
    fn published_updates_are_not_drafts() {
        ja("update 4 is published; published updates are not edited as drafts", &["更新 4", "公開済み"]);
    }

    #[test]
    fn unsupported_operations() {
        ja("the database's schema is at version 2, the store needs 4", &["バージョン 2", "バージョン 4"]);
        ja("search is not available in team mode (PostgreSQL) yet", &["検索", "チームモード"]);
        ja("in team mode your identity is your database role; log in as that role instead", &["ロール"]);
        ja("a postgres:// URL is opened with Store::open, not as a SQLite file", &["postgres://"]);
        ja("`http://x/db` is not a SQLite file path, a sqlite: URL or a postgres:// URL", &["「http://x/db」"]);
        ja("incident/foo.ja.md is not a file of the template library", &["incident/foo.ja.md", "テンプレートライブラリ"]);
    }

    #[test]
    fn glossary_input() {
        ja("Japanese term: is empty; write the term as it must be spelt", &["日本語の用語", "入力されていません"]);
        ja("Japanese term: is empty", &["日本語の用語"]);
        ja("English term: is 120 characters long; a term has at most 100", &["英語の用語", "120", "100"]);
        ja("English term: must be on one line", &["英語の用語", "1 行"]);
        ja("Japanese term: “一括送信” / “Bulk Send” is already in the glossary", &["「一括送信」", "「Bulk Send」", "用語集"]);
    }

    #[test]
    fn template_files_that_do_not_check_out() {
        ja(
            "incident/x.ja.md was not saved: not a file of the template library (settings.toml or KIND/STATUS.LANG.md)",
            &["incident/x.ja.md", "保存されませんでした", "テンプレートライブラリのファイルではありません"],
        );
        ja(
            "the library was not saved: incident/resolved.ja.md:3:5: unknown field {{casue}}; settings.toml:1:1: bad",
            &["テンプレートライブラリ", "incident/resolved.ja.md:3:5", "settings.toml:1:1"],
        );
    }

    #[test]
    fn the_store_cannot_be_reached() {
        ja("cannot create the database's folder /var/lib/desk: Permission denied (os error 13)", &["/var/lib/desk", "Permission denied"]);
        ja("cannot connect to PostgreSQL (desk@db:5432/desk): connection refused", &["desk@db:5432/desk", "connection refused"]);
        ja("database error: error returned from database: (code: 5) database is locked", &["データベース", "database is locked"]);
        ja("the database's schema cannot be brought up to date: migration 3 failed", &["スキーマ", "migration 3 failed"]);
        ja("stored JSON cannot be read: expected value at line 1 column 1", &["JSON", "line 1 column 1"]);
        ja("stored settings cannot be read: EOF", &["設定", "EOF"]);
    }

    #[test]
    fn review_refusals() {
        ja("a request for changes needs at least one comment, none of them empty", &["コメント"]);
        ja("the passage 3:40 is outside the Japanese text (20 characters)", &["3:40", "日本語", "20 文字"]);
        ja("the passage 0:4 reads 「障害発生」, not 「障害」", &["0:4", "「障害発生」", "「障害」"]);
        ja("update 6 is published; there is nothing to review", &["更新 6"]);
        ja("revision 2 is not the current one (revision 3 is): review what will be published", &["リビジョン 2", "リビジョン 3"]);
        let own = ja("self-approval refused: aiko wrote revision 2; someone else must approve it", &["リビジョン 2", "aiko", "承認できません"]);
        assert!(own.starts_with("自分が書いた版（リビジョン 2"), "{own}");
    }

    #[test]
    fn publish_refusals() {
        ja("publish refused: revision 2 is not the current one (revision 3 is)", &["リビジョン 2", "リビジョン 3", "公開できません"]);
        ja("an emergency publish needs a reason", &["緊急公開", "理由"]);
        ja("an emergency publish needs a reason: write why it cannot wait for approval", &["緊急公開", "理由"]);
        ja(
            "emergency publish refused: the policy does not allow publishing monitoring without approval",
            &["監視中", "緊急公開できません"],
        );
        ja(
            "emergency publish refused: the policy does not allow publishing in_progress (beyond an incident's first update) without approval",
            &["実施中", "最初の更新以外"],
        );
        ja("publish refused: revision 3 has no approval by someone other than its author (aiko)", &["リビジョン 3", "aiko"]);
        ja("publish refused: not authorised", &["公開できません"]);
        ja(
            "publish refused: the authorised publish is update 2 of incident store:9, not update 3 of incident store:9",
            &["インシデント store:9 の更新 2", "インシデント store:9 の更新 3"],
        );
        ja("publish refused: the approved revision's status is resolved, the job's is monitoring", &["「解決済み」", "「監視中」"]);
        ja("update 2 is already published: there is no draft to publish without approval", &["更新 2", "公開済み"]);
    }

    #[test]
    fn database_triggers_with_and_without_the_drivers_wrapping() {
        let own = ja("self-approval refused: the author of a revision cannot approve it", &["承認できません", "別の方の承認"]);
        assert_eq!(
            japanese("database error: error returned from database: self-approval refused: the author of a revision cannot approve it"),
            Some(own.clone())
        );
        assert_eq!(
            japanese("ERROR:  self-approval refused: the author of a revision cannot approve it\nCONTEXT:  PL/pgSQL function desk_review_check() line 12 at RAISE"),
            Some(own)
        );
        ja("publish refused: no approval of this exact revision by someone other than its author", &["作成者以外"]);
        ja("error returned from database: (code: 1811) publish refused: only the current revision can be published", &["最新のリビジョン"]);
        ja("emergency publish refused: the policy does not allow this status without approval", &["緊急公開できません"]);
        ja("publish refused: no publication recorded for this revision", &["公開の記録"]);
        ja("review of a revision that does not exist", &["リビジョン"]);
        ja("revisions are immutable", &["リビジョン"]);
        ja("audit_log is append-only", &["監査ログ", "追記専用"]);
        ja("reviews are append-only", &["レビューの記録"]);
        ja("publications are append-only", &["公開の記録"]);
        ja("template_versions is append-only", &["テンプレートの版の履歴"]);
        ja("permission denied for table emergency_policy", &["desk_admin"]);
        ja("permission denied for table glossary", &["テーブル glossary"]);
    }

    #[test]
    fn page_settings() {
        ja(
            "page id: a space cannot be part of a page id (letters, digits, - and _ only; copy it from the page's URL or API settings)",
            &["ページ ID", "スペース"],
        );
        ja(
            "Japanese page id: “/” cannot be part of a page id (letters, digits, - and _ only; copy it from the page's URL or API settings)",
            &["日本語ページの ID", "「/」"],
        );
        ja("English page id: is 65 characters long; a page id has at most 64", &["英語ページの ID", "65", "64"]);
        ja(
            "English page id: is the same as the Japanese page id; a bilingual setup needs two different pages",
            &["英語ページの ID", "別々のページ"],
        );
        ja("component mapping: a mapping has no incident component name", &["コンポーネントの対応表"]);
    }

    #[test]
    fn the_publish_engine() {
        let blocked = ja(
            "publishing is blocked:\npublish refused: revision 3 has no approval by someone other than its author (aiko)",
            &["公開できません", "リビジョン 3", "aiko"],
        );
        assert!(blocked.contains('\n'), "{blocked}");
        ja("publishing is blocked by lint errors: the body is empty; the title is long", &["the body is empty", "エラー"]);
        ja("no target page", &["公開先"]);
        ja("page kctbh9vrtdwd: a postmortem needs the incident published there first", &["kctbh9vrtdwd", "事後報告"]);
        ja("publish log /tmp/log.jsonl: Permission denied (os error 13)", &["/tmp/log.jsonl", "Permission denied"]);
        ja(
            "abc123 (ja): NOT published: POST /pages/abc123/incidents: refused with 401: invalid key",
            &["abc123 (ja)", "公開されていません", "401", "invalid key"],
        );
        ja(
            "abc123: UNCONFIRMED: PATCH /pages/abc123/incidents/x1: no definite answer (server error 503); the change may or may not have been made; publish again to check and finish",
            &["abc123", "503", "もう一度公開"],
        );
        ja("could not read the page's components: GET /pages/p1/components: could not connect (dns error); nothing was sent", &["/pages/p1/components", "dns error"]);
        ja("could not check the earlier attempt: boom", &["boom"]);
        ja(
            "POST /pages/p/incidents: no definite answer (no answer within 30s); the change may or may not have been made; and the check failed: GET /pages/p/incidents/unresolved: still rate limited after 3 attempts",
            &["30 秒", "3 回", "確認にも失敗"],
        );
        ja("no definite answer after 3 attempts (POST /pages/p/incidents: unreadable answer: EOF)", &["3 回", "EOF"]);
        ja("component \"API\" is not on page p1 (it has: Web, Mail)", &["「API」", "p1", "Web, Mail"]);
        ja("could not link p2 to its twin: no definite answer", &["p2", "確かな応答"]);
    }

    #[test]
    fn the_keychain() {
        ja("the keychain is not available: no Secret Service on the session bus", &["キーチェーン", "Secret Service"]);
        ja("the keychain is not available: org.freedesktop.DBus.Error", &["org.freedesktop.DBus.Error"]);
        ja("the stored key is not usable: the API key is empty", &["API キー", "入力されていません"]);
        ja("the keychain refused: the stored key is not UTF-8", &["UTF-8"]);
        ja("the keychain refused: password is longer than 2560", &["password", "2560"]);
        ja("the keychain refused: more than one key is stored", &["複数"]);
    }

    #[test]
    fn the_api_key() {
        ja("the API key is empty", &["API キー"]);
        ja("the API key contains whitespace or control characters", &["API キー", "空白"]);
    }

    #[test]
    fn the_statuspage_client() {
        ja("GET /pages/abc/incidents: refused with 404: Not found", &["GET /pages/abc/incidents", "404", "Not found", "ページ ID"]);
        ja("POST /pages/abc/incidents: still rate limited after 5 attempts", &["POST /pages/abc/incidents", "5 回"]);
        ja(
            "PATCH /pages/abc/incidents/i1: no definite answer (no answer within 10s); the change may or may not have been made",
            &["PATCH /pages/abc/incidents/i1", "10 秒", "分かりません"],
        );
        ja("GET /pages/abc/components: could not connect (tcp connect error); nothing was sent", &["GET /pages/abc/components", "tcp connect error"]);
        ja("GET /pages/abc/incidents/i1: unreadable answer: missing field `id`", &["missing field `id`"]);
        ja("the title has 300 characters; Statuspage allows 255", &["タイトル", "300", "255"]);
        ja("the body has 30000 characters; Statuspage allows 25000", &["本文", "30000", "25000"]);
        ja("an incident needs a title", &["タイトル"]);
        ja("metadata must be an object whose top-level values are objects", &["メタデータ"]);
        ja("no incident to update", &["インシデント"]);
        ja("cannot set up HTTP: builder error", &["builder error"]);
    }

    #[test]
    fn the_apps_own_messages() {
        ja("the incident has no updates yet", &["まだ更新がありません"]);
        ja("there is no update 5; the incident has 3", &["更新 5", "3 件"]);
        ja("there is no update 5; the incident has 3 (1 to 3)", &["更新 5", "3 件"]);
        ja("completed is not one of this incident's statuses", &["「完了」", "インシデント"]);
        ja("investigating is not one of this maintenance's statuses", &["「調査中」", "メンテナンス"]);
        ja("verifying is not a status of a incident", &["「確認中」", "インシデント"]);
        ja("that update is not in its incident", &["その更新"]);
        ja("the incident has no draft", &["下書き"]);
        ja("give the folder's full path", &["フルパス"]);
        ja("`library` is not a full path: give the folder's full path, e.g. /home/you/templates", &["「library」", "/home/you/templates"]);
        ja(
            "could not read the components of page kctbh9vrtdwd: GET /pages/kctbh9vrtdwd/components: refused with 401: Unauthorized",
            &["kctbh9vrtdwd", "401", "API キーが正しくない"],
        );
        ja("cannot read the incident templates of page p1: something odd", &["p1", "something odd"]);
        ja("the desktop notification could not be shown: no notification daemon", &["デスクトップ通知", "no notification daemon"]);
        ja("a sample is not UTF-8", &["UTF-8"]);
        ja("DESK_TEMPLATES=/srv/t: nothing imported: x.md: bad", &["/srv/t", "x.md: bad"]);
    }

    #[test]
    fn status_names() {
        for (en, ja) in [
            ("investigating", "調査中"),
            ("identified", "原因特定"),
            ("monitoring", "監視中"),
            ("resolved", "解決済み"),
            ("postmortem", "事後報告"),
            ("scheduled", "予定"),
            ("in_progress", "実施中"),
            ("verifying", "確認中"),
            ("completed", "完了"),
        ] {
            assert_eq!(status_ja(en), ja);
        }
    }
}
