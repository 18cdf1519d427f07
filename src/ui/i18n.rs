//! Every UI string in English, French and Japanese. Keys are looked up in one table;
//! a test checks that every key the code uses exists and is translated.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Lang {
    En,
    Fr,
    Ja,
}

pub const LANGS: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Ja];

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ja => "ja",
        }
    }

    /// The BCP 47 locale handed to Intl.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Fr => "fr-FR",
            Lang::Ja => "ja-JP",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Ja => "日本語",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        LANGS.iter().copied().find(|l| l.code() == code)
    }
}

/// A daily rate in words: "1 token/day", "7 tokens/day".
pub fn rate(lang: Lang, n: u64) -> String {
    let key = if n == 1 {
        "usage.rate.one"
    } else {
        "usage.rate"
    };
    t(lang, key).replace("{n}", &n.to_string())
}

/// The string for `key` in `lang`; "??" when missing (the tests forbid that).
pub fn t(lang: Lang, key: &str) -> &'static str {
    static MAP: OnceLock<HashMap<&'static str, [&'static str; 3]>> = OnceLock::new();
    let map = MAP.get_or_init(|| entries().collect());
    match map.get(key) {
        Some(v) => v[lang as usize],
        None => "??",
    }
}

/// Every key with its English, French and Japanese strings, read from `TEXT`.
pub fn entries() -> impl Iterator<Item = (&'static str, [&'static str; 3])> {
    TEXT.split_terminator(RECORD).map(|r| {
        let mut f = r.split(FIELD);
        let mut next = || f.next().unwrap_or("");
        (next(), [next(), next(), next()])
    })
}

const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// The table below as one string, `key FIELD en FIELD fr FIELD ja RECORD` per entry: a
/// table of string slices would cost 32 bytes of pointers and lengths per entry in the wasm.
macro_rules! strings {
    ($(($k:literal, [$en:literal, $fr:literal, $ja:literal $(,)?])),* $(,)?) => {
        concat!($($k, '\u{1f}', $en, '\u{1f}', $fr, '\u{1f}', $ja, '\u{1e}'),*)
    };
}

const TEXT: &str = strings![
    ("app.title", ["Flex token estimator", "Estimateur de jetons Flex", "Flex トークン見積もりツール"]),
    ("app.tagline", [
        "Model your team's Autodesk Flex use and see tokens and cost, live.",
        "Décrivez l'usage Autodesk Flex de votre équipe : jetons et coût, en direct.",
        "チームの Autodesk Flex 利用を入力すると、トークンと費用をその場で表示します。",
    ]),
    ("skip", ["Skip to results", "Aller aux résultats", "結果へ移動"]),
    ("presets", ["Examples", "Exemples", "サンプル"]),
    ("presets.choose", ["Open an example…", "Ouvrir un exemple…", "サンプルを開く…"]),
    ("presets.new", ["New starter team", "Nouvelle équipe de départ", "新しいチーム(初期値)"]),
    ("preset.architecture", ["Architecture studio, Paris (subscriptions + Flex)", "Agence d'architecture, Paris (abonnements + Flex)", "建築設計事務所・パリ(サブスクリプション + Flex)"]),
    ("preset.media", ["Media team, London (seasonal peaks)", "Équipe média, Londres (pics saisonniers)", "メディアチーム・ロンドン(繁忙期あり)"]),
    ("preset.manufacturing", ["Manufacturing shop, Nagoya (packs run dry)", "Atelier industriel, Nagoya (packs épuisés)", "製造工場・名古屋(パックが不足)"]),
    ("language", ["Language", "Langue", "言語"]),
    ("currency", ["Currency", "Devise", "通貨"]),
    ("toolbar", ["Save and share", "Enregistrer et partager", "保存と共有"]),
    ("undo", ["Undo", "Annuler", "元に戻す"]),
    ("redo", ["Redo", "Rétablir", "やり直す"]),
    ("undo.keys", ["Ctrl+Z; redo with Ctrl+Shift+Z", "Ctrl+Z ; rétablir avec Ctrl+Maj+Z", "Ctrl+Z(やり直しは Ctrl+Shift+Z)"]),
    ("share", ["Share link", "Lien de partage", "共有リンク"]),
    ("share.title", ["Link to this scenario", "Lien vers ce scénario", "このシナリオへのリンク"]),
    ("share.hint", [
        "The whole scenario is inside the link (after #): nothing is stored on a server. It was copied to the clipboard.",
        "Tout le scénario est dans le lien (après #) : rien n'est stocké sur un serveur. Il a été copié dans le presse-papiers.",
        "シナリオ全体がリンク(# の後)に含まれ、サーバーには何も保存されません。クリップボードにコピーしました。",
    ]),
    ("share.copy", ["Copy again", "Copier à nouveau", "もう一度コピー"]),
    ("close", ["Close", "Fermer", "閉じる"]),
    ("dismiss", ["Dismiss", "Fermer", "閉じる"]),
    ("export.json", ["Export JSON", "Exporter JSON", "JSON 書き出し"]),
    ("import.json", ["Import JSON", "Importer JSON", "JSON 読み込み"]),
    ("export.csv", ["Charges CSV", "CSV des débits", "課金 CSV"]),
    ("export.summary", ["Summary CSV", "CSV du résumé", "概要 CSV"]),
    ("print", ["Print report", "Imprimer le rapport", "レポートを印刷"]),
    ("banner.shared", ["Opened the scenario from the shared link.", "Scénario ouvert depuis le lien partagé.", "共有リンクからシナリオを開きました。"]),
    ("banner.link_damaged", [
        "This share link is damaged or was altered, so it cannot be opened. Your own saved work is shown instead.",
        "Ce lien de partage est endommagé ou a été modifié : impossible de l'ouvrir. Votre travail enregistré est affiché à la place.",
        "この共有リンクは破損または改変されているため開けません。代わりに保存済みの作業を表示しています。",
    ]),
    ("banner.link_invalid", [
        "The share link holds a scenario that cannot be used",
        "Le lien de partage contient un scénario inutilisable",
        "共有リンクのシナリオは使用できません",
    ]),
    ("banner.migrated", [
        "Your saved work came from an older version of this page and was converted.",
        "Votre travail enregistré venait d'une version plus ancienne de cette page ; il a été converti.",
        "保存データは旧バージョンのものだったため、変換しました。",
    ]),
    ("banner.reset", [
        "Your saved work could not be read, so a new team was started. The unreadable copy is kept in this browser under flexcalc.scenario.unreadable",
        "Votre travail enregistré était illisible : une nouvelle équipe a été créée. La copie illisible est conservée dans ce navigateur sous flexcalc.scenario.unreadable",
        "保存データを読み込めなかったため、新しいチームで開始しました。読めないデータはこのブラウザの flexcalc.scenario.unreadable に保管しています",
    ]),
    ("banner.new", ["Started a new team.", "Nouvelle équipe créée.", "新しいチームを作成しました。"]),
    ("banner.preset", ["Opened the example", "Exemple ouvert", "サンプルを開きました"]),
    ("banner.imported", ["Imported the scenario.", "Scénario importé.", "シナリオを読み込みました。"]),
    ("banner.preset_failed", ["The example could not be loaded; try again", "L'exemple n'a pas pu être chargé ; réessayez", "サンプルを読み込めませんでした。もう一度お試しください"]),
    ("banner.import_bad", ["That file is not a scenario this page can read", "Ce fichier n'est pas un scénario lisible", "このファイルは読み込めるシナリオではありません"]),
    ("tabs", ["Scenario editor", "Éditeur de scénario", "シナリオ編集"]),
    ("tab.team", ["Team", "Équipe", "チーム"]),
    ("tab.packs", ["Packs", "Packs", "パック"]),
    ("tab.settings", ["Period & prices", "Période et prix", "期間と価格"]),
    ("tab.assumptions", ["Assumptions", "Hypothèses", "前提条件"]),
    ("tab.advisor", ["Advisor", "Conseil", "アドバイザー"]),
    ("team.title", ["Team", "Équipe", "チーム"]),
    ("team.user", ["User", "Utilisateur", "ユーザー"]),
    ("team.noproducts", ["no product yet", "aucun produit", "製品なし"]),
    ("team.template", ["New user's pattern", "Profil du nouvel utilisateur", "新規ユーザーの利用パターン"]),
    ("team.add", ["Add user", "Ajouter un utilisateur", "ユーザーを追加"]),
    ("team.empty", ["No user yet: add one to start.", "Aucun utilisateur : ajoutez-en un pour commencer.", "ユーザーがいません。追加してください。"]),
    ("tpl.occasional", ["Occasional: 3 days a month", "Occasionnel : 3 jours par mois", "たまに:月3日"]),
    ("tpl.parttime", ["Two days a week", "Deux jours par semaine", "週2日"]),
    ("tpl.fulltime", ["Full-time: Monday to Friday", "Temps plein : du lundi au vendredi", "フルタイム:月〜金"]),
    ("tpl.seasonal", ["Seasonal peak: March to May", "Pic saisonnier : de mars à mai", "繁忙期:3〜5月"]),
    ("user.name", ["Name", "Nom", "名前"]),
    ("user.id", ["Id", "Identifiant", "ID"]),
    ("user.id.hint", ["Unique; used in exports.", "Unique ; utilisé dans les exports.", "一意の値。書き出しで使います。"]),
    ("user.tz", ["Time zone", "Fuseau horaire", "タイムゾーン"]),
    ("user.tz.hint", ["Empty: the team's zone.", "Vide : celui de l'équipe.", "空欄ならチームのタイムゾーン。"]),
    ("user.copies", ["Copies", "Copies", "人数"]),
    ("user.duplicate", ["Add {n} users like this", "Ajouter {n} utilisateurs comme celui-ci", "同じ設定のユーザーを {n} 人追加"]),
    ("user.remove", ["Remove user", "Supprimer l'utilisateur", "ユーザーを削除"]),
    ("user.products", ["Products and usage", "Produits et usage", "製品と利用パターン"]),
    ("user.noproducts", ["This user uses no product yet.", "Cet utilisateur n'utilise encore aucun produit.", "このユーザーはまだ製品を使っていません。"]),
    ("usage.rate", ["{n} tokens/day", "{n} jetons/jour", "1日 {n} トークン"]),
    ("usage.rate.one", ["{n} token/day", "{n} jeton/jour", "1日 {n} トークン"]),
    ("usage.tokens_n", ["{n} tokens", "{n} jetons", "{n} トークン"]),
    ("usage.remove", ["Remove", "Retirer", "削除"]),
    ("usage.templates", ["Apply:", "Appliquer :", "適用:"]),
    ("usage.pattern", ["Usage pattern", "Rythme d'usage", "利用パターン"]),
    ("pattern.weekly", ["Days of the week", "Jours de la semaine", "曜日"]),
    ("pattern.monthly", ["Days per month", "Jours par mois", "月あたりの日数"]),
    ("pattern.dates", ["Dates on a calendar", "Dates sur un calendrier", "カレンダーで日付指定"]),
    ("pattern.sessions", ["Explicit sessions", "Sessions précises", "セッションを個別指定"]),
    ("usage.weekdays", ["Days", "Jours", "曜日"]),
    ("usage.days_per_month", ["Working days per month", "Jours ouvrés par mois", "月の稼働日数"]),
    ("usage.days_per_month.hint", ["Spread evenly over Monday–Friday.", "Répartis sur lundi–vendredi.", "月〜金に均等に配分します。"]),
    ("usage.from", ["From", "De", "開始"]),
    ("usage.to", ["To", "À", "終了"]),
    ("usage.months", ["Months", "Mois", "月"]),
    ("usage.allyear", ["All year", "Toute l'année", "通年"]),
    ("usage.idle", ["Idle detection on (15 min without activity is not use)", "Détection d'inactivité (15 min sans activité ne comptent pas)", "アイドル検出を有効にする(15分操作がなければ利用とみなさない)"]),
    ("cal.prev", ["Previous month", "Mois précédent", "前の月"]),
    ("cal.next", ["Next month", "Mois suivant", "次の月"]),
    ("cal.selected", ["{n} selected", "{n} choisi(s)", "{n} 日選択"]),
    ("cal.label", ["Days: press to select or clear", "Jours : appuyez pour choisir ou retirer", "日付:押して選択/解除"]),
    ("session.start", ["Start", "Début", "開始"]),
    ("session.end", ["End", "Fin", "終了"]),
    ("session.remove", ["Remove session", "Retirer la session", "セッションを削除"]),
    ("session.add", ["Add session", "Ajouter une session", "セッションを追加"]),
    ("idle.title", ["Idle stretches in session {n}", "Périodes d'inactivité de la session {n}", "セッション {n} の非操作時間"]),
    ("idle.stretch", ["Idle stretch {n}", "Inactivité {n}", "非操作時間 {n}"]),
    ("idle.from", ["from", "début", "開始"]),
    ("idle.to", ["until", "fin", "終了"]),
    ("idle.add", ["Add idle stretch", "Ajouter une période d'inactivité", "非操作時間を追加"]),
    ("idle.remove", ["Remove idle stretch {n}", "Retirer l'inactivité {n}", "非操作時間 {n} を削除"]),
    ("idle.hint", [
        "A stretch of 15 minutes or more without activity makes the product idle from its 15th minute until it ends; idle time is not use. Shorter stretches count as use.",
        "Une période d'au moins 15 minutes sans activité rend le produit inactif de sa 15e minute jusqu'à sa fin ; ce temps n'est pas de l'usage. Les périodes plus courtes comptent comme usage.",
        "操作のない時間が15分以上続くと、15分目から終了までアイドル状態となり、利用とみなされません。15分未満は利用として数えます。",
    ]),
    ("idle.off", [
        "Idle stretches only count when idle detection is on for this product; while it is off, the {n} stretches listed count as use (they are kept).",
        "Les périodes d'inactivité ne comptent que si la détection d'inactivité est activée pour ce produit ; désactivée, les {n} périodes saisies comptent comme usage (elles sont conservées).",
        "非操作時間はこの製品のアイドル検出が有効なときだけ反映されます。無効の間、入力済みの {n} 件は利用として数えます(データは保持されます)。",
    ]),
    ("idle.off.none", [
        "Idle stretches (15 minutes or more without activity) only count when idle detection is on for this product.",
        "Les périodes d'inactivité (au moins 15 minutes sans activité) ne comptent que si la détection d'inactivité est activée pour ce produit.",
        "非操作時間(15分以上操作なし)は、この製品のアイドル検出が有効なときだけ反映されます。",
    ]),
    ("idle.turn_on", ["Turn idle detection on", "Activer la détection d'inactivité", "アイドル検出を有効にする"]),
    ("idle.err.format", [
        "{field}: enter a date and time (YYYY-MM-DDTHH:MM).",
        "{field} : saisissez une date et une heure (AAAA-MM-JJTHH:MM).",
        "{field}:日時を入力してください(YYYY-MM-DDTHH:MM)。",
    ]),
    ("idle.err.order", [
        "{field}: must be after the stretch's start.",
        "{field} : doit être après le début de la période.",
        "{field}:開始より後にしてください。",
    ]),
    ("idle.err.outside", [
        "{field}: outside its session ({start} to {end}); only the part inside the session counts, so keep the stretch inside it.",
        "{field} : hors de sa session ({start} à {end}) ; seule la partie dans la session compte, gardez la période à l'intérieur.",
        "{field}:セッション({start}〜{end})の範囲外です。セッション内の部分だけが反映されるため、範囲内にしてください。",
    ]),
    ("plugins.title", ["Plug-ins loaded at start-up", "Plug-ins chargés au démarrage", "起動時に読み込むプラグイン"]),
    ("plugins.hint", [
        "Each plug-in is charged its own daily rate whenever this product is in use.",
        "Chaque plug-in est débité de son propre tarif quotidien dès que ce produit est utilisé.",
        "この製品を使うたびに、各プラグインにもそれぞれの日額がかかります。",
    ]),
    ("plugins.choose", ["Plug-in to add", "Plug-in à ajouter", "追加するプラグイン"]),
    ("plugins.pick", ["Choose a plug-in…", "Choisir un plug-in…", "プラグインを選択…"]),
    ("plugins.own", ["This scenario's products", "Produits de ce scénario", "このシナリオの製品"]),
    ("plugins.builtin", ["Autodesk products", "Produits Autodesk", "Autodesk 製品"]),
    ("plugins.add", ["Add plug-in", "Ajouter le plug-in", "プラグインを追加"]),
    ("plugins.remove", ["Remove plug-in {name}", "Retirer le plug-in {name}", "プラグイン {name} を削除"]),
    ("picker.title", ["Add a product", "Ajouter un produit", "製品を追加"]),
    ("picker.search", ["Search", "Rechercher", "検索"]),
    ("picker.product", ["Product (by industry and workflow)", "Produit (par secteur et métier)", "製品(業種・ワークフロー別)"]),
    ("picker.choose", ["Choose a product…", "Choisir un produit…", "製品を選択…"]),
    ("picker.add", ["Add product", "Ajouter le produit", "製品を追加"]),
    ("subs.title", ["Subscriptions held", "Abonnements détenus", "保有サブスクリプション"]),
    ("subs.none", [
        "To model subscriptions, first add offerings with their prices under Period & prices.",
        "Pour tenir compte d'abonnements, ajoutez d'abord des offres et leurs prix dans Période et prix.",
        "サブスクリプションを反映するには、まず「期間と価格」で製品と価格を追加してください。",
    ]),
    ("subs.offering", ["Offering", "Offre", "製品"]),
    ("subs.from", ["From", "Du", "開始日"]),
    ("subs.to", ["To", "Au", "終了日"]),
    ("subs.remove", ["Remove", "Retirer", "削除"]),
    ("subs.add", ["Add subscription", "Ajouter un abonnement", "サブスクリプションを追加"]),
    ("results.title", ["Pay-per-result services", "Services facturés au résultat", "成果ごとの課金サービス"]),
    ("results.service", ["Service", "Service", "サービス"]),
    ("results.at", ["When", "Quand", "日時"]),
    ("results.quantity", ["Quantity", "Quantité", "数量"]),
    ("results.remove", ["Remove", "Retirer", "削除"]),
    ("results.add", ["Add result", "Ajouter un résultat", "成果を追加"]),
    ("err.whole", ["Enter a whole number.", "Saisissez un nombre entier.", "整数を入力してください。"]),
    ("err.range", ["Enter a number from {min} to {max}.", "Saisissez un nombre de {min} à {max}.", "{min}〜{max} の数を入力してください。"]),
    ("packs.title", ["Tokens and packs", "Jetons et packs", "トークンとパック"]),
    ("packs.mode", ["How to count tokens", "Mode de calcul", "計算方法"]),
    ("packs.estimate", ["Estimate", "Estimation", "見積もり"]),
    ("packs.estimate.hint", ["Unlimited balance: what the team would burn, and the cheapest order for it.", "Solde illimité : ce que l'équipe consommerait, et la commande la moins chère.", "残高無制限:チームの消費量と、それに必要な最安の注文。"]),
    ("packs.bought", ["Packs I buy", "Packs achetés", "購入するパック"]),
    ("packs.bought.hint", ["Purchases with dates: see when the balance runs out and what expires.", "Achats datés : quand le solde s'épuise et ce qui expire.", "購入日付きのパック:残高が尽きる日と失効分がわかります。"]),
    ("packs.purchases", ["Purchases", "Achats", "購入"]),
    ("packs.empty", ["No pack: every charge will be denied.", "Aucun pack : chaque débit sera refusé.", "パックがないため、すべての課金が拒否されます。"]),
    ("packs.add", ["Add pack", "Ajouter un pack", "パックを追加"]),
    ("packs.low", ["Low-balance alert below (%)", "Alerte de solde bas sous (%)", "残高低下アラート(%未満)"]),
    ("packs.low.hint", ["Of all usable packs' original size.", "De la taille d'origine des packs utilisables.", "利用可能なパックの購入量に対する割合。"]),
    ("pack.id", ["Pack", "Pack", "パック"]),
    ("pack.date", ["Purchase date", "Date d'achat", "購入日"]),
    ("pack.tokens", ["Tokens", "Jetons", "トークン"]),
    ("pack.remove", ["Remove pack", "Retirer le pack", "パックを削除"]),
    ("pack.state", ["Used {used} · expired {expired} · left {remaining} · expires {expires}", "Utilisés {used} · expirés {expired} · restants {remaining} · expire le {expires}", "使用 {used} · 失効 {expired} · 残り {remaining} · 有効期限 {expires}"]),
    ("pack.returnable", ["returnable (unused within 30 days)", "retournable (inutilisé sous 30 jours)", "返品可(30日以内に未使用)"]),
    ("purchases.caption", ["What the purchases cost (each date's packs priced as one order)", "Coût des achats (les packs d'une même date forment une commande)", "購入費用(同じ日のパックを1回の注文として計算)"]),
    ("purchases.unit", ["Price per token", "Prix par jeton", "1トークンの価格"]),
    ("purchases.total", ["Total", "Total", "合計"]),
    ("order.title", ["Cheapest order", "Commande la moins chère", "最安の注文"]),
    ("order.line", ["{tokens} tokens in packs: {packs}", "{tokens} jetons en packs : {packs}", "{tokens} トークン(パック:{packs})"]),
    ("order.price", ["{price} per token, {total} in all", "{price} par jeton, {total} au total", "1トークン {price}、合計 {total}"]),
    ("order.rule", ["The whole order's size sets one price for every token; packs are sold in fixed sizes.", "La taille de toute la commande fixe un prix unique par jeton ; les packs ont des tailles fixes.", "注文全体の数量で1トークンの価格が決まり、パックは決まったサイズで販売されます。"]),
    ("cliff.title", ["Buying more costs less here", "Ici, acheter plus coûte moins", "多く買うほうが安くなります"]),
    ("cliff.text", [
        "You need {need} tokens. The smallest order, {exact} tokens at {exact_price}, costs {exact_total}; {order} tokens reach the next price tier at {order_price} and cost {order_total}: {saving} less, with {extra} tokens to spare.",
        "Il vous faut {need} jetons. La plus petite commande, {exact} jetons à {exact_price}, coûte {exact_total} ; {order} jetons atteignent le palier suivant à {order_price} et coûtent {order_total} : {saving} de moins, avec {extra} jetons en plus.",
        "必要なのは {need} トークンです。最小の注文 {exact} トークン(単価 {exact_price})は {exact_total} ですが、{order} トークンなら次の価格帯(単価 {order_price})に入り {order_total}:{saving} 安く、{extra} トークン多く手に入ります。",
    ]),
    ("suggest.title", ["Suggested order", "Commande suggérée", "推奨の注文"]),
    ("suggest.text", [
        "With an unlimited balance the team would burn {need} tokens; the cheapest order covering it is {tokens} tokens ({packs}) for {total}.",
        "Avec un solde illimité, l'équipe consommerait {need} jetons ; la commande la moins chère qui les couvre est de {tokens} jetons ({packs}) pour {total}.",
        "残高無制限なら消費は {need} トークンです。それを賄う最安の注文は {tokens} トークン({packs})、{total} です。",
    ]),
    ("suggest.apply", ["Buy this on the first day", "Acheter cela le premier jour", "初日にこの注文を購入"]),
    ("settings.title", ["Period, zone and prices", "Période, fuseau et prix", "期間・タイムゾーン・価格"]),
    ("settings.name", ["Scenario name", "Nom du scénario", "シナリオ名"]),
    ("settings.currency", ["Currency", "Devise", "通貨"]),
    ("settings.start", ["Period start", "Début de la période", "期間の開始日"]),
    ("settings.months", ["Length (months)", "Durée (mois)", "期間(月数)"]),
    ("settings.tz", ["Team time zone", "Fuseau horaire de l'équipe", "チームのタイムゾーン"]),
    ("settings.tz.hint", ["IANA name, such as Europe/Paris or Asia/Tokyo.", "Nom IANA, par exemple Europe/Paris ou Asia/Tokyo.", "IANA 名(例:Asia/Tokyo、Europe/Paris)。"]),
    ("offerings.title", ["Subscription offerings", "Offres d'abonnement", "サブスクリプション製品"]),
    ("offerings.hint", [
        "Prices are yours to enter (the rate data carries none). Users can then hold these subscriptions: covered time costs no token.",
        "Les prix sont à saisir (les données de tarifs n'en contiennent pas). Les utilisateurs peuvent ensuite détenir ces abonnements : le temps couvert ne coûte aucun jeton.",
        "価格は入力してください(料金データには含まれていません)。ユーザーに割り当てると、その期間はトークンを消費しません。",
    ]),
    ("offering.id", ["Id", "Identifiant", "ID"]),
    ("offering.name", ["Name", "Nom", "名前"]),
    ("offering.covers", ["Covers", "Couvre", "対象製品"]),
    ("offering.annual", ["Annual price", "Prix annuel", "年額"]),
    ("offering.monthly", ["Monthly price", "Prix mensuel", "月額"]),
    ("offering.remove", ["Remove", "Retirer", "削除"]),
    ("offerings.add", ["Add offering", "Ajouter une offre", "製品を追加"]),
    ("results.heading", ["Results", "Résultats", "結果"]),
    ("results.loading_zones", ["Loading time-zone data…", "Chargement des fuseaux horaires…", "タイムゾーンのデータを読み込み中…"]),
    ("error.title", ["The scenario cannot be computed:", "Le scénario ne peut pas être calculé :", "シナリオを計算できません:"]),
    ("error.goto", ["Go to the field", "Aller au champ", "該当欄へ移動"]),
    ("error.stale", ["The figures below are from the last valid scenario.", "Les chiffres ci-dessous viennent du dernier scénario valide.", "以下は最後に有効だったシナリオの数値です。"]),
    ("sum.tokens", ["Tokens charged", "Jetons débités", "消費トークン"]),
    ("sum.active_days", ["on {n} days", "sur {n} jours", "{n} 日間"]),
    ("sum.cost.estimate", ["Cost (cheapest order)", "Coût (commande la moins chère)", "費用(最安の注文)"]),
    ("sum.cost.packs", ["Spent on packs", "Dépensé en packs", "パック購入額"]),
    ("sum.order", ["order of {tokens} tokens", "commande de {tokens} jetons", "{tokens} トークンの注文"]),
    ("sum.bought", ["{tokens} tokens bought", "{tokens} jetons achetés", "{tokens} トークン購入"]),
    ("sum.effective", ["Price per used token", "Prix par jeton utilisé", "使用1トークンあたりの価格"]),
    ("sum.effective.note", ["money spent ÷ tokens charged", "dépense ÷ jetons débités", "支出 ÷ 消費トークン"]),
    ("sum.runout", ["Runs out on", "Épuisé le", "残高切れ"]),
    ("sum.runout.none", ["Lasts the period", "Suffit pour la période", "期間中は不足なし"]),
    ("sum.denied_tokens", ["{n} tokens denied", "{n} jetons refusés", "{n} トークン拒否"]),
    ("sum.denied_days", ["Denied user-days", "Jours-utilisateur refusés", "利用拒否(人日)"]),
    ("sum.expired", ["Expired tokens", "Jetons expirés", "失効トークン"]),
    ("sum.unused", ["{n} unused at the end", "{n} inutilisés à la fin", "期末の未使用 {n}"]),
    ("sum.alerts", ["Low-balance alert", "Alerte de solde bas", "残高低下アラート"]),
    ("sum.alerts.none", ["None", "Aucune", "なし"]),
    ("sum.alerts.more", ["{n} alerts in all", "{n} alertes en tout", "計 {n} 回"]),
    ("unit.tokens", ["tokens", "jetons", "トークン"]),
    ("chart.months", ["Tokens per month", "Jetons par mois", "月別トークン"]),
    ("chart.months.desc", ["Bar chart of tokens charged per month; {n} in all.", "Histogramme des jetons débités par mois ; {n} au total.", "月別の消費トークンの棒グラフ。合計 {n}。"]),
    ("chart.charged", ["Charged", "Débités", "消費"]),
    ("chart.denied", ["Denied", "Refusés", "拒否"]),
    ("chart.table", ["Show as a table", "Afficher en tableau", "表で表示"]),
    ("chart.balance", ["Balance over time", "Solde dans le temps", "残高の推移"]),
    ("chart.balance.desc", ["Line chart of the usable token balance per day, with purchases and expiries marked; {n} at the end.", "Courbe du solde utilisable par jour, achats et expirations marqués ; {n} à la fin.", "日ごとの利用可能残高の折れ線グラフ(購入と失効を表示)。期末 {n}。"]),
    ("chart.cumulative", ["Tokens used over time", "Jetons consommés dans le temps", "累計消費トークン"]),
    ("chart.cumulative.desc", ["Line chart of tokens charged so far, per day; {n} in all.", "Courbe des jetons débités cumulés par jour ; {n} au total.", "日ごとの累計消費トークンの折れ線グラフ。合計 {n}。"]),
    ("mark.purchase", ["Purchase", "Achat", "購入"]),
    ("mark.expiry", ["Expiry", "Expiration", "失効"]),
    ("mark.low", ["Low balance", "Solde bas", "残高低下"]),
    ("mark.runout", ["Ran out", "Épuisé", "残高切れ"]),
    ("heat.title", ["Charges per day", "Débits par jour", "日別の課金"]),
    ("heat.desc", ["Calendar heat-map of tokens charged per day; {n} days with charges.", "Calendrier des jetons débités par jour ; {n} jours avec débits.", "日別の消費トークンのカレンダー。課金日数 {n}。"]),
    ("heat.peak", ["Busiest day: {date} ({n} tokens).", "Jour le plus chargé : {date} ({n} jetons).", "最多の日:{date}({n} トークン)。"]),
    ("heat.keys", ["Arrow keys move between days.", "Les flèches changent de jour.", "矢印キーで日を移動できます。"]),
    ("heat.hint", ["Point at a day, or focus the calendar and use the arrow keys, to read its charges.", "Pointez un jour, ou utilisez les flèches, pour lire ses débits.", "日を指すか、矢印キーで移動すると、その日の課金を表示します。"]),
    ("heat.less", ["Less", "Moins", "少"]),
    ("heat.more", ["More", "Plus", "多"]),
    ("table.title", ["Tokens per user and product", "Jetons par utilisateur et produit", "ユーザー・製品別トークン"]),
    ("table.user", ["User", "Utilisateur", "ユーザー"]),
    ("table.total", ["Total", "Total", "合計"]),
    ("table.month", ["Month", "Mois", "月"]),
    ("table.note", ["In brackets: days charged (or results).", "Entre parenthèses : jours débités (ou résultats).", "括弧内は課金日数(または成果数)。"]),
    ("assume.title", ["Assumptions", "Hypothèses", "前提条件"]),
    ("assume.intro", [
        "Every figure comes from the flexcalc engine applying these rules to your scenario. Names such as M4 refer to the project's specification.",
        "Chaque chiffre vient du moteur flexcalc, qui applique ces règles à votre scénario. Les noms comme M4 renvoient à la spécification du projet.",
        "すべての数値は flexcalc エンジンがこれらの規則をシナリオに適用して算出しています。M4 などの名前はプロジェクト仕様書の規則名です。",
    ]),
    ("assume.rules", ["Rules applied", "Règles appliquées", "適用される規則"]),
    ("rule.m1", ["One user, one product, one meter: overlapping sessions on any device count once.", "Un utilisateur, un produit, un compteur : les sessions qui se chevauchent, sur tout appareil, comptent une fois.", "1ユーザー・1製品につき1つのメーター。重なるセッションは端末を問わず1回と数えます。"]),
    ("rule.m2", ["With idle detection on, 15 minutes without activity stop the use until activity resumes.", "Avec la détection d'inactivité, 15 minutes sans activité interrompent l'usage jusqu'à la reprise.", "アイドル検出が有効な場合、15分間操作がないと再開まで利用とみなしません。"]),
    ("rule.m3", ["Time covered by a subscription the user holds costs no token.", "Le temps couvert par un abonnement détenu ne coûte aucun jeton.", "保有サブスクリプションの対象期間はトークンを消費しません。"]),
    ("rule.m4", ["A product's daily rate is charged at the first launch and covers the next 24 hours; 5 minutes or less outside a window cost nothing.", "Le tarif quotidien est débité au premier lancement et couvre les 24 heures suivantes ; 5 minutes ou moins hors fenêtre ne coûtent rien.", "日額は最初の起動時に課金され、その後24時間有効です。期間外の5分以内の利用は無料です。"]),
    ("rule.m6", ["When the team's usable balance is below the rate, the launch is denied until the next session.", "Si le solde utilisable est inférieur au tarif, le lancement est refusé jusqu'à la session suivante.", "チームの利用可能残高が日額に満たない場合、次のセッションまで起動できません。"]),
    ("rule.m7", ["Pay-per-result services cost their rate times the quantity, through the same balance.", "Les services au résultat coûtent leur tarif fois la quantité, sur le même solde.", "成果課金サービスは単価×数量を同じ残高から消費します。"]),
    ("rule.m8", ["The scenario is one Flex team with one pooled balance.", "Le scénario est une équipe Flex avec un solde commun.", "シナリオは残高を共有する1つの Flex チームです。"]),
    ("rule.l1", ["Packs are usable from their purchase date until the same date a year later.", "Les packs sont utilisables de la date d'achat jusqu'à la même date un an plus tard.", "パックは購入日から1年後の同日まで利用できます。"]),
    ("rule.l2", ["Charges draw from the pack expiring first, then the smallest.", "Les débits puisent d'abord dans le pack qui expire le plus tôt, puis le plus petit.", "課金は有効期限の早いパック、次に小さいパックから引き落とされます。"]),
    ("rule.l3", ["Tokens left at expiry are lost and shown as expired.", "Les jetons restants à l'expiration sont perdus et affichés comme expirés.", "失効時の残りトークンは失われ、失効として表示されます。"]),
    ("rule.l4", ["A low-balance alert is raised when a charge takes the balance below the chosen percentage.", "Une alerte de solde bas se déclenche quand un débit fait passer le solde sous le pourcentage choisi.", "課金で残高が設定割合を下回るとアラートを出します。"]),
    ("rule.l5", ["A pack untouched for its first 30 days is shown as returnable.", "Un pack intact pendant ses 30 premiers jours est indiqué comme retournable.", "最初の30日間未使用のパックは返品可として表示します。"]),
    ("rule.p1", ["An order's size sets one price per token for the whole order; totals are rounded to the currency's minor unit.", "La taille d'une commande fixe un prix par jeton pour toute la commande ; les totaux sont arrondis à l'unité monétaire.", "注文数量で全体の1トークン単価が決まり、合計は通貨の最小単位に丸めます。"]),
    ("rule.p3", ["The cheapest order may be larger than needed when it reaches a lower price tier.", "La commande la moins chère peut dépasser le besoin si elle atteint un palier moins cher.", "より安い価格帯に届く場合、最安の注文は必要量より多くなることがあります。"]),
    ("rule.p4", ["Price per used token = money spent ÷ tokens charged; expired and unused tokens are waste.", "Prix par jeton utilisé = dépense ÷ jetons débités ; les jetons expirés ou inutilisés sont perdus.", "使用1トークンあたりの価格 = 支出 ÷ 消費トークン。失効・未使用分は無駄になります。"]),
    ("assume.sources", ["Rate data", "Données de tarifs", "料金データ"]),
    ("src.products", ["Daily rates", "Tarifs quotidiens", "日額"]),
    ("src.services", ["Per-result rates", "Tarifs au résultat", "成果課金の単価"]),
    ("src.prices", ["Token prices and packs", "Prix des jetons et packs", "トークン価格とパック"]),
    ("src.groups", ["Industries and workflows", "Secteurs et métiers", "業種とワークフロー"]),
    ("assume.asof", ["as of {date}", "au {date}", "{date} 時点"]),
    ("assume.excluded", ["Not included", "Non compris", "含まれないもの"]),
    ("ex.taxes", ["Taxes (VAT, consumption tax).", "Les taxes (TVA).", "税金(消費税など)。"]),
    ("ex.discounts", ["Partner or volume discounts beyond the public tiers.", "Les remises revendeur ou négociées au-delà des paliers publics.", "公開価格帯以外のパートナー割引や数量割引。"]),
    ("ex.subs", ["Subscription prices, unless you enter them.", "Les prix d'abonnement, sauf si vous les saisissez.", "入力しない限りサブスクリプション価格。"]),
    ("ex.fx", ["Exchange rates: each currency uses its own price list.", "Les taux de change : chaque devise a sa propre liste de prix.", "為替レート:各通貨は独自の価格表を使います。"]),
    ("assume.ambiguous", ["Where the sources are ambiguous", "Là où les sources sont ambiguës", "資料があいまいな点"]),
    ("amb.day", ["A Flex \"day\" is 24 hours from the first launch, not a calendar day.", "Un « jour » Flex dure 24 heures à partir du premier lancement, pas un jour calendaire.", "Flex の「1日」は暦日ではなく、最初の起動から24時間です。"]),
    ("amb.packs_outside", ["Money spent counts every pack listed, even one bought before the period.", "La dépense compte tous les packs listés, même achetés avant la période.", "支出には期間前に購入したものも含め、入力したすべてのパックを数えます。"]),
    ("amb.userdays", ["Denied user-days count each user's days with a denial, by the team's calendar.", "Les jours-utilisateur refusés comptent les jours avec refus de chaque utilisateur, selon le calendrier de l'équipe.", "利用拒否(人日)は、チームの暦で拒否があった日をユーザーごとに数えます。"]),
    ("amb.monthly", ["\"N days a month\" spreads N working days evenly over Monday–Friday.", "« N jours par mois » répartit N jours ouvrés sur lundi–vendredi.", "「月N日」は月〜金の稼働日に均等に配分します。"]),
    ("amb.effective", ["In an estimate, money spent is the cheapest order covering the tokens charged.", "En estimation, la dépense est la commande la moins chère couvrant les jetons débités.", "見積もりでは、支出は消費トークンを賄う最安の注文です。"]),
    ("assume.privacy", ["Privacy", "Confidentialité", "プライバシー"]),
    ("assume.privacy.text", [
        "Everything runs in this page: your scenario is saved only in this browser, and share links carry it after the # which browsers never send to a server.",
        "Tout s'exécute dans cette page : votre scénario n'est enregistré que dans ce navigateur, et les liens de partage le portent après le #, que les navigateurs n'envoient jamais au serveur.",
        "すべてこのページ内で処理されます。シナリオはこのブラウザにのみ保存され、共有リンクでは # の後に含まれるため、サーバーに送信されません。",
    ]),
    ("print.scope", [
        "Period: {months} months from {start} ({zone}) · {users} users · {currency}",
        "Période : {months} mois à partir du {start} ({zone}) · {users} utilisateurs · {currency}",
        "期間:{start} から {months} か月({zone})· ユーザー {users} 人 · {currency}",
    ]),
    ("print.note", [
        "Computed by flexcalc from public Autodesk Flex rates; prices exclude taxes. The rules and sources are listed under Assumptions.",
        "Calculé par flexcalc à partir des tarifs publics Autodesk Flex ; prix hors taxes. Règles et sources : voir Hypothèses.",
        "flexcalc が Autodesk Flex の公開料金から算出(税抜)。規則と出典は「前提条件」を参照。",
    ]),
    ("advisor.title", ["Flex or subscription?", "Flex ou abonnement ?", "Flex かサブスクリプションか"]),
    ("advisor.hint", [
        "Per user, the subscriptions worth holding and the products best left on Flex, for the least total (subscriptions plus the cheapest token order).",
        "Pour chaque utilisateur, les abonnements à garder et les produits à laisser sur Flex, au coût total le plus bas (abonnements plus la commande de jetons la moins chère).",
        "ユーザーごとに、保持すべきサブスクリプションと Flex に残す製品を、合計費用(サブスクリプション+最安のトークン購入)が最小になるよう示します。",
    ]),
    ("advisor.no_offerings", [
        "The advisor compares Flex with subscriptions, so it needs subscription offerings with their prices. Add them under Period & prices (Subscription offerings), or open a demo preset: they carry example prices.",
        "Le conseil compare Flex aux abonnements : il lui faut des offres d'abonnement avec leurs prix. Ajoutez-les sous Période et prix (Offres d'abonnement), ou ouvrez un exemple : ils contiennent des prix d'exemple.",
        "アドバイザーは Flex とサブスクリプションを比較するため、価格付きのサブスクリプション製品が必要です。「期間と価格」の「サブスクリプション製品」で追加するか、価格例を含むデモを開いてください。",
    ]),
    ("advisor.to_offerings", ["Add offerings", "Ajouter des offres", "製品を追加"]),
    ("advisor.plan", ["Recommended plan", "Plan recommandé", "推奨プラン"]),
    ("advisor.all_flex", ["Everyone on Flex", "Tout en Flex", "全員 Flex"]),
    ("advisor.all_subscription", ["Everyone subscribed", "Tout en abonnement", "全員サブスクリプション"]),
    ("advisor.current", ["Current subscriptions", "Abonnements actuels", "現在のサブスクリプション"]),
    ("advisor.subs_money", ["subscriptions", "abonnements", "サブスクリプション"]),
    ("advisor.saving", ["The plan saves {amount}", "Le plan économise {amount}", "プランで {amount} 節約"]),
    ("advisor.same", ["Same cost as the plan", "Même coût que le plan", "プランと同額"]),
    ("advisor.optimal", ["This plan is proven optimal.", "Ce plan est optimal (prouvé).", "このプランは最適であることが証明されています。"]),
    ("advisor.gap", [
        "Best plan found; no plan costs less than {bound} (remaining gap {gap}).",
        "Meilleur plan trouvé ; aucun plan ne coûte moins de {bound} (écart restant {gap}).",
        "見つかった最良のプラン。どのプランも {bound} 未満にはなりません(残りの差 {gap})。",
    ]),
    ("advisor.apply", ["Apply this plan", "Appliquer ce plan", "このプランを適用"]),
    ("advisor.apply.hint", [
        "Replaces every user's subscriptions with the plan's. Undo takes it back.",
        "Remplace les abonnements de chaque utilisateur par ceux du plan. Annuler revient en arrière.",
        "各ユーザーのサブスクリプションをプランの内容に置き換えます。元に戻すで取り消せます。",
    ]),
    ("advisor.applied", ["The scenario holds this plan.", "Le scénario suit ce plan.", "シナリオはこのプランどおりです。"]),
    ("advisor.plan.title", ["The plan, user by user", "Le plan, utilisateur par utilisateur", "ユーザー別のプラン"]),
    ("advisor.col.user", ["User", "Utilisateur", "ユーザー"]),
    ("advisor.col.subscriptions", ["Subscriptions", "Abonnements", "サブスクリプション"]),
    ("advisor.col.flex", ["On Flex", "Sur Flex", "Flex で利用"]),
    ("advisor.col.subs_cost", ["Subscription cost", "Coût des abonnements", "サブスクリプション費用"]),
    ("advisor.term.annual", ["annual", "annuel", "年間"]),
    ("advisor.term.monthly", ["monthly", "mensuel", "月間"]),
    ("advisor.chart.title", ["Break-even: cost against days of use a month", "Seuil de rentabilité : coût selon les jours d'utilisation par mois", "損益分岐:月あたりの利用日数と費用"]),
    ("advisor.chart.pick", ["User and product", "Utilisateur et produit", "ユーザーと製品"]),
    ("advisor.chart.flex", ["Flex (a month)", "Flex (par mois)", "Flex(月額)"]),
    ("advisor.chart.sub", ["Subscription (annual ÷ 12)", "Abonnement (annuel ÷ 12)", "サブスクリプション(年額 ÷ 12)"]),
    ("advisor.chart.used", ["Used: {days} days a month", "Utilisé : {days} jours par mois", "利用:月 {days} 日"]),
    ("advisor.chart.desc", [
        "Flex and {offering} cost the same at {days} days of use a month.",
        "Flex et {offering} coûtent autant à {days} jours d'utilisation par mois.",
        "月 {days} 日の利用で Flex と {offering} の費用が等しくなります。",
    ]),
    ("advisor.chart.none", ["No offering covers this product: Flex only.", "Aucune offre ne couvre ce produit : Flex seulement.", "この製品を対象とする製品がないため、Flex のみです。"]),
    ("advisor.chart.axis", [
        "Horizontal: days of use a month; vertical: cost a month at the team's token price.",
        "Horizontal : jours d'utilisation par mois ; vertical : coût mensuel au prix du jeton de l'équipe.",
        "横軸:月あたりの利用日数、縦軸:チームのトークン単価での月額費用。",
    ]),
    ("advisor.verdict.flex", ["Verdict: Flex.", "Verdict : Flex.", "判定:Flex。"]),
    ("advisor.verdict.subscription", ["Verdict: subscription.", "Verdict : abonnement.", "判定:サブスクリプション。"]),
    ("advisor.verdict.even", ["Verdict: even.", "Verdict : équivalent.", "判定:同等。"]),
    ("sens.title", ["If usage changes", "Si l'utilisation change", "利用量が変わったら"]),
    ("sens.hint", [
        "The plan searched again with every user's days of use scaled up or down. A flip is where the recommended subscriptions change.",
        "Le plan recherché à nouveau avec les jours d'utilisation de chacun augmentés ou réduits. Une bascule est l'endroit où les abonnements recommandés changent.",
        "全ユーザーの利用日数を増減させてプランを再計算します。切り替わりは、推奨サブスクリプションが変わる点です。",
    ]),
    ("sens.slider", ["Usage compared with the scenario", "Utilisation par rapport au scénario", "シナリオに対する利用量"]),
    ("sens.value", ["Usage {pct}", "Utilisation {pct}", "利用量 {pct}"]),
    ("sens.pct", ["{sign}{n}%", "{sign}{n} %", "{sign}{n}%"]),
    ("sens.computing", [
        "Computing the plan at other usage levels…",
        "Calcul du plan à d'autres niveaux d'utilisation…",
        "他の利用量でのプランを計算中…",
    ]),
    ("sens.plan", ["Plan at this usage", "Plan à cette utilisation", "この利用量でのプラン"]),
    ("sens.same", [
        "Same plan as at the scenario's usage.",
        "Même plan qu'à l'utilisation du scénario.",
        "シナリオの利用量と同じプランです。",
    ]),
    ("sens.differs", [
        "A different plan from the one at the scenario's usage (the flips below say what changes).",
        "Un autre plan qu'à l'utilisation du scénario (les bascules ci-dessous disent ce qui change).",
        "シナリオの利用量とは異なるプランです(変更点は下の切り替わりを参照)。",
    ]),
    ("sens.flips", ["Where the plan flips", "Où le plan bascule", "プランが切り替わる点"]),
    ("sens.no_flips", [
        "From {lo} to {hi} usage, the plan stays the same.",
        "De {lo} à {hi} d'utilisation, le plan reste le même.",
        "利用量 {lo} から {hi} まで、プランは変わりません。",
    ]),
    ("sens.flip", ["At {pct} usage, {changes}", "À {pct} d'utilisation, {changes}", "利用量 {pct} で、{changes}"]),
    ("sens.subscribe", [
        "{user}: subscribe to {offering} ({term})",
        "{user} : s'abonner à {offering} ({term})",
        "{user}:{offering} を契約({term})",
    ]),
    ("sens.drop", [
        "{user}: {offering} back to Flex",
        "{user} : {offering} repasse en Flex",
        "{user}:{offering} を Flex に戻す",
    ]),
    ("sens.switch", [
        "{user}: {offering} {term} instead of {was}",
        "{user} : {offering} {term} au lieu de {was}",
        "{user}:{offering} を {was} から {term} に変更",
    ]),
    ("sens.term.monthly", ["monthly: {months}", "mensuel : {months}", "月間:{months}"]),
    ("starter.name", ["My team", "Mon équipe", "マイチーム"]),
    ("footer", [
        "flexcalc — an independent estimator, not an Autodesk product. Prices exclude taxes; check your reseller's quote.",
        "flexcalc — un estimateur indépendant, pas un produit Autodesk. Prix hors taxes ; vérifiez le devis de votre revendeur.",
        "flexcalc は独立した見積もりツールで、Autodesk の製品ではありません。価格は税抜きです。販売店の見積もりをご確認ください。",
    ]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_translated() {
        // No string holds a separator: every entry reads back as four fields.
        for r in TEXT.split_terminator(RECORD) {
            assert_eq!(r.split(FIELD).count(), 4, "{r}");
        }
        assert!(entries().count() > 300);
        let mut seen = std::collections::HashSet::new();
        for (k, v) in entries() {
            assert!(seen.insert(k), "duplicate key {k}");
            for s in v {
                assert!(!s.trim().is_empty(), "{k} has an empty translation");
            }
            // Placeholders must match across languages.
            let ph = |s: &str| {
                let mut p: Vec<String> = s
                    .split('{')
                    .skip(1)
                    .filter_map(|x| x.split('}').next())
                    .map(String::from)
                    .collect();
                p.sort();
                p
            };
            assert_eq!(ph(v[0]), ph(v[1]), "{k}: fr placeholders");
            assert_eq!(ph(v[0]), ph(v[2]), "{k}: ja placeholders");
        }
    }

    #[test]
    fn every_key_used_in_the_ui_exists() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("i18n.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Every `t(x, "key")` call and every `key: "..."`/`"..."` passed as a key.
            for part in text.split("t(").skip(1) {
                let Some(rest) = part.split_once(", \"") else {
                    continue;
                };
                if rest.0.len() > 12 {
                    continue;
                }
                let key = rest.1.split('"').next().unwrap_or("");
                if !key.is_empty() && !entries().any(|(k, _)| k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
            for part in text
                .split("key: \"")
                .skip(1)
                .chain(text.split("Banner::new(BannerKind::").skip(1))
            {
                let key = part
                    .split('"')
                    .nth(if part.starts_with(char::is_uppercase) {
                        1
                    } else {
                        0
                    })
                    .unwrap_or("");
                if key.contains('.') && !entries().any(|(k, _)| k == key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:?}");
    }

    #[test]
    fn lookups() {
        assert_eq!(t(Lang::Fr, "tab.team"), "Équipe");
        assert_eq!(t(Lang::Ja, "unit.tokens"), "トークン");
        assert_eq!(t(Lang::En, "no.such.key"), "??");
        assert_eq!(Lang::from_code("ja"), Some(Lang::Ja));
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn a_rate_of_one_token_is_singular() {
        assert_eq!(rate(Lang::En, 1), "1 token/day");
        assert_eq!(rate(Lang::En, 7), "7 tokens/day");
        assert_eq!(rate(Lang::Fr, 1), "1 jeton/jour");
        assert_eq!(rate(Lang::Ja, 1), "1日 1 トークン");
    }
}
