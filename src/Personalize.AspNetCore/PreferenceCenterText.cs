using System.Globalization;

namespace Personalize.AspNetCore;

/// <summary>
/// Every text the preference-center pages show, in one language. Built in: <see cref="English"/> and
/// <see cref="German"/>; add or change a language with <see cref="PreferenceCenterOptions.Texts"/>. Texts with
/// <c>{0}</c> are composite formats. The opt-in labels are recorded with each consent record as the exact wording shown.
/// </summary>
public sealed class PreferenceCenterText
{
    /// <summary>Creates a text set for a culture; every text starts as the English one.</summary>
    /// <param name="culture">The culture dates and day names are written in, for example <c>de-DE</c>.</param>
    public PreferenceCenterText(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        Culture = culture;
    }

    /// <summary>The culture of dates and day names.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The page heading of the preference center. English: <c>Your preferences</c>.</summary>
    public string Title { get; set; } = "Your preferences";

    /// <summary>The introduction; {0} is the brand name. English: <c>Choose how, how often and about what {0} may contact you. Service messages about your orders and account still reach you.</c>.</summary>
    public string Intro { get; set; } = "Choose how, how often and about what {0} may contact you. Service messages about your orders and account still reach you.";

    /// <summary>The legend of the channel opt-ins. English: <c>Channels for news and offers</c>.</summary>
    public string ChannelsLegend { get; set; } = "Channels for news and offers";

    /// <summary>The label of one channel opt-in (also the wording recorded); {0} is the channel. English: <c>{0}: news and offers</c>.</summary>
    public string ChannelOptIn { get; set; } = "{0}: news and offers";

    /// <summary>Shown beside a channel the customer has no contact point for. English: <c>(we have no address for this channel)</c>.</summary>
    public string NoContactPoint { get; set; } = "(we have no address for this channel)";

    /// <summary>Shown beside an opt-in waiting for its double opt-in confirmation. English: <c>(awaiting your confirmation)</c>.</summary>
    public string Pending { get; set; } = "(awaiting your confirmation)";

    /// <summary>The legend of the topic subscriptions. English: <c>Topics</c>.</summary>
    public string TopicsLegend { get; set; } = "Topics";

    /// <summary>The legend of the frequency choices. English: <c>How often</c>.</summary>
    public string FrequencyLegend { get; set; } = "How often";

    /// <summary>The label of one channel's frequency; {0} is the channel. English: <c>How often by {0}</c>.</summary>
    public string FrequencyLabel { get; set; } = "How often by {0}";

    /// <summary>The frequency choice without a cap. English: <c>As often as there is news</c>.</summary>
    public string FrequencyAny { get; set; } = "As often as there is news";

    /// <summary>A cap per day; {0} is the number. English: <c>At most {0} a day</c>.</summary>
    public string FrequencyPerDay { get; set; } = "At most {0} a day";

    /// <summary>A cap per week; {0} is the number. English: <c>At most {0} a week</c>.</summary>
    public string FrequencyPerWeek { get; set; } = "At most {0} a week";

    /// <summary>A cap per month; {0} is the number. English: <c>At most {0} a month</c>.</summary>
    public string FrequencyPerMonth { get; set; } = "At most {0} a month";

    /// <summary>The legend of the quiet hours. English: <c>Quiet hours</c>.</summary>
    public string QuietLegend { get; set; } = "Quiet hours";

    /// <summary>The label of the quiet hours' start. English: <c>No messages from</c>.</summary>
    public string QuietFrom { get; set; } = "No messages from";

    /// <summary>The label of the quiet hours' end. English: <c>until</c>.</summary>
    public string QuietTo { get; set; } = "until";

    /// <summary>Help under the quiet hours. English: <c>Leave both empty for our usual quiet hours. Service messages wait too.</c>.</summary>
    public string QuietHelp { get; set; } = "Leave both empty for our usual quiet hours. Service messages wait too.";

    /// <summary>Names the customer's zone; {0} is the zone. English: <c>Times are in your time zone: {0}.</c>.</summary>
    public string ZoneNote { get; set; } = "Times are in your time zone: {0}.";

    /// <summary>The legend of the preferred days. English: <c>Preferred days</c>.</summary>
    public string DaysLegend { get; set; } = "Preferred days";

    /// <summary>Help under the preferred days. English: <c>Tick none for any day.</c>.</summary>
    public string DaysHelp { get; set; } = "Tick none for any day.";

    /// <summary>The legend of the channel order. English: <c>Channel order</c>.</summary>
    public string OrderLegend { get; set; } = "Channel order";

    /// <summary>Help under the channel order. English: <c>1 is the channel you prefer most.</c>.</summary>
    public string OrderHelp { get; set; } = "1 is the channel you prefer most.";

    /// <summary>The label of one channel's place; {0} is the channel. English: <c>Place of {0}</c>.</summary>
    public string OrderLabel { get; set; } = "Place of {0}";

    /// <summary>The legend of the pause. English: <c>Pause</c>.</summary>
    public string PauseLegend { get; set; } = "Pause";

    /// <summary>The choice not to pause. English: <c>Do not pause</c>.</summary>
    public string PauseNone { get; set; } = "Do not pause";

    /// <summary>The choice to keep the current pause; {0} is its end. English: <c>Stay paused until {0}</c>.</summary>
    public string PauseKeep { get; set; } = "Stay paused until {0}";

    /// <summary>A pause choice; {0} is the number of weeks (2 or 4). English: <c>Pause all news and offers for {0} weeks</c>.</summary>
    public string PauseWeeks { get; set; } = "Pause all news and offers for {0} weeks";

    /// <summary>The one-week pause choice. English: <c>Pause all news and offers for 1 week</c>.</summary>
    public string PauseOneWeek { get; set; } = "Pause all news and offers for 1 week";

    /// <summary>The choice to end a pause now. English: <c>Resume now</c>.</summary>
    public string PauseResume { get; set; } = "Resume now";

    /// <summary>The current pause; {0} is its end. English: <c>News and offers are paused until {0}.</c>.</summary>
    public string PausedUntil { get; set; } = "News and offers are paused until {0}.";

    /// <summary>The legend of the personalization consent. English: <c>Personalization</c>.</summary>
    public string PersonalizationLegend { get; set; } = "Personalization";

    /// <summary>The label of the personalization consent (also the wording recorded). English: <c>Use what I have told you (such as my name and interests) to personalize my messages</c>.</summary>
    public string PersonalizationOptIn { get; set; } = "Use what I have told you (such as my name and interests) to personalize my messages";

    /// <summary>The save button. English: <c>Save preferences</c>.</summary>
    public string Save { get; set; } = "Save preferences";

    /// <summary>The status after saving. English: <c>Your preferences are saved.</c>.</summary>
    public string Saved { get; set; } = "Your preferences are saved.";

    /// <summary>The status after saving a double opt-in (<see cref="PreferenceCenterOptions.DoubleOptInChannels"/>). English: <c>Your preferences are saved. We sent you a message with a link to confirm your subscription.</c>.</summary>
    public string SavedAwaitingConfirmation { get; set; } = "Your preferences are saved. We sent you a message with a link to confirm your subscription.";

    /// <summary>The heading of the evidence list. English: <c>What you chose, and when</c>.</summary>
    public string EvidenceHeading { get; set; } = "What you chose, and when";

    /// <summary>A grant; {0} what, {1} the date, {2} the source. English: <c>You chose {0} on {1} via {2}.</c>.</summary>
    public string EvidenceGranted { get; set; } = "You chose {0} on {1} via {2}.";

    /// <summary>A confirmed double opt-in; {3} the confirmation date. English: <c>You chose {0} on {1} via {2} and confirmed it on {3}.</c>.</summary>
    public string EvidenceConfirmed { get; set; } = "You chose {0} on {1} via {2} and confirmed it on {3}.";

    /// <summary>A withdrawal. English: <c>You withdrew {0} on {1} via {2}.</c>.</summary>
    public string EvidenceWithdrawn { get; set; } = "You withdrew {0} on {1} via {2}.";

    /// <summary>A pending double opt-in. English: <c>You asked for {0} on {1} via {2}; it awaits your confirmation.</c>.</summary>
    public string EvidencePending { get; set; } = "You asked for {0} on {1} via {2}; it awaits your confirmation.";

    /// <summary>An empty evidence list. English: <c>Nothing recorded yet.</c>.</summary>
    public string EvidenceNone { get; set; } = "Nothing recorded yet.";

    /// <summary>The marketing purpose in sentences. English: <c>news and offers</c>.</summary>
    public string PurposeMarketing { get; set; } = "news and offers";

    /// <summary>The service purpose in sentences. English: <c>service messages</c>.</summary>
    public string PurposeService { get; set; } = "service messages";

    /// <summary>The relationship purpose in sentences. English: <c>messages about our relationship</c>.</summary>
    public string PurposeRelationship { get; set; } = "messages about our relationship";

    /// <summary>A channel for a purpose; {0} the channel, {1} the purpose. English: <c>{1} by {0}</c>.</summary>
    public string ScopeChannelPurpose { get; set; } = "{1} by {0}";

    /// <summary>A channel for every purpose. English: <c>messages by {0}</c>.</summary>
    public string ScopeChannel { get; set; } = "messages by {0}";

    /// <summary>A purpose on every channel. English: <c>all {0}</c>.</summary>
    public string ScopePurpose { get; set; } = "all {0}";

    /// <summary>A topic; {0} its label. English: <c>“{0}”</c>.</summary>
    public string ScopeTopic { get; set; } = "“{0}”";

    /// <summary>Consent to personalization. English: <c>personalized messages</c>.</summary>
    public string ScopePersonalization { get; set; } = "personalized messages";

    /// <summary>The heading of the unsubscribe page. English: <c>Unsubscribe</c>.</summary>
    public string UnsubscribeTitle { get; set; } = "Unsubscribe";

    /// <summary>The question before unsubscribing; {0} what. English: <c>Stop {0}?</c>.</summary>
    public string UnsubscribeQuestion { get; set; } = "Stop {0}?";

    /// <summary>The unsubscribe button. English: <c>Unsubscribe</c>.</summary>
    public string UnsubscribeButton { get; set; } = "Unsubscribe";

    /// <summary>After unsubscribing; {0} what. English: <c>Done: you will no longer get {0}.</c>.</summary>
    public string UnsubscribeDone { get; set; } = "Done: you will no longer get {0}.";

    /// <summary>The link from the unsubscribe page to the preference center. English: <c>Manage all your preferences</c>.</summary>
    public string ManageLink { get; set; } = "Manage all your preferences";

    /// <summary>The heading of the confirmation page. English: <c>Confirm your subscription</c>.</summary>
    public string ConfirmTitle { get; set; } = "Confirm your subscription";

    /// <summary>The question before confirming; {0} what. English: <c>Please confirm that you want {0}.</c>.</summary>
    public string ConfirmQuestion { get; set; } = "Please confirm that you want {0}.";

    /// <summary>The confirm button. English: <c>Confirm</c>.</summary>
    public string ConfirmButton { get; set; } = "Confirm";

    /// <summary>After confirming; {0} what. English: <c>Thank you: {0} is confirmed.</c>.</summary>
    public string ConfirmDone { get; set; } = "Thank you: {0} is confirmed.";

    /// <summary>The heading of the answer page of a progressive-profiling question. English: <c>One quick question</c>.</summary>
    public string AnswerTitle { get; set; } = "One quick question";

    /// <summary>The answer chosen by the link; {0} the answer's label. English: <c>Your answer: {0}</c>.</summary>
    public string AnswerChosen { get; set; } = "Your answer: {0}";

    /// <summary>The label of the text field of a question answered in words. English: <c>Your answer</c>.</summary>
    public string AnswerLabel { get; set; } = "Your answer";

    /// <summary>The button that sends the answer. English: <c>Send my answer</c>.</summary>
    public string AnswerButton { get; set; } = "Send my answer";

    /// <summary>After answering. English: <c>Thank you: we noted your answer and will not ask again.</c>.</summary>
    public string AnswerDone { get; set; } = "Thank you: we noted your answer and will not ask again.";

    /// <summary>A question answered before. English: <c>You already answered this question. Thank you.</c>.</summary>
    public string AnswerAlready { get; set; } = "You already answered this question. Thank you.";

    /// <summary>The heading of every error page. English: <c>This link cannot be used</c>.</summary>
    public string ErrorTitle { get; set; } = "This link cannot be used";

    /// <summary>A forged, expired or wrong token (says nothing more). English: <c>The link is not valid or has expired. Please use the link in our most recent message.</c>.</summary>
    public string ErrorLink { get; set; } = "The link is not valid or has expired. Please use the link in our most recent message.";

    /// <summary>A form post without a valid antiforgery token. English: <c>The form has expired. Please open the page again and repeat your changes.</c>.</summary>
    public string ErrorCsrf { get; set; } = "The form has expired. Please open the page again and repeat your changes.";

    /// <summary>Too many requests. English: <c>Too many requests. Please wait a minute and try again.</c>.</summary>
    public string ErrorRateLimited { get; set; } = "Too many requests. Please wait a minute and try again.";

    /// <summary>A body or form over the limits. English: <c>The request is too large.</c>.</summary>
    public string ErrorTooLarge { get; set; } = "The request is too large.";

    /// <summary>A field with a value the page does not offer; {0} names the field. English: <c>This value cannot be accepted: {0}.</c>.</summary>
    public string ErrorField { get; set; } = "This value cannot be accepted: {0}.";

    /// <summary>A double opt-in confirmed too late. English: <c>This confirmation link has expired. Please subscribe again; we will send a new link.</c>.</summary>
    public string ErrorConfirmationExpired { get; set; } = "This confirmation link has expired. Please subscribe again; we will send a new link.";

    /// <summary>A confirmation clicked after a later withdrawal. English: <c>You unsubscribed after asking for this, so we did not subscribe you again. You can subscribe again in your preferences.</c>.</summary>
    public string ErrorConfirmationWithdrawn { get; set; } = "You unsubscribed after asking for this, so we did not subscribe you again. You can subscribe again in your preferences.";

    /// <summary>The store refused the write repeatedly. English: <c>Your change could not be saved just now. Please try again.</c>.</summary>
    public string ErrorConflict { get; set; } = "Your change could not be saved just now. Please try again.";

    /// <summary>The English texts (a new copy on every call).</summary>
    /// <returns>The texts.</returns>
    public static PreferenceCenterText English() => new(CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>The German texts (a new copy on every call).</summary>
    /// <returns>The texts.</returns>
    public static PreferenceCenterText German() => new(CultureInfo.GetCultureInfo("de-DE"))
    {
        Title = "Ihre Einstellungen",
        Intro = "Wählen Sie, wie, wie oft und worüber {0} Sie kontaktieren darf. Servicenachrichten zu Ihren Bestellungen und Ihrem Konto erhalten Sie weiterhin.",
        ChannelsLegend = "Kanäle für Neuigkeiten und Angebote",
        ChannelOptIn = "{0}: Neuigkeiten und Angebote",
        NoContactPoint = "(für diesen Kanal haben wir keine Adresse)",
        Pending = "(wartet auf Ihre Bestätigung)",
        TopicsLegend = "Themen",
        FrequencyLegend = "Wie oft",
        FrequencyLabel = "Wie oft per {0}",
        FrequencyAny = "So oft es Neuigkeiten gibt",
        FrequencyPerDay = "Höchstens {0}-mal am Tag",
        FrequencyPerWeek = "Höchstens {0}-mal pro Woche",
        FrequencyPerMonth = "Höchstens {0}-mal im Monat",
        QuietLegend = "Ruhezeiten",
        QuietFrom = "Keine Nachrichten von",
        QuietTo = "bis",
        QuietHelp = "Lassen Sie beide Felder leer für unsere üblichen Ruhezeiten. Auch Servicenachrichten warten.",
        ZoneNote = "Zeiten gelten in Ihrer Zeitzone: {0}.",
        DaysLegend = "Bevorzugte Tage",
        DaysHelp = "Keiner angekreuzt: jeder Tag.",
        OrderLegend = "Reihenfolge der Kanäle",
        OrderHelp = "1 ist der Kanal, den Sie am meisten bevorzugen.",
        OrderLabel = "Platz für {0}",
        PauseLegend = "Pause",
        PauseNone = "Nicht pausieren",
        PauseKeep = "Pausiert lassen bis {0}",
        PauseWeeks = "Alle Neuigkeiten und Angebote {0} Wochen pausieren",
        PauseOneWeek = "Alle Neuigkeiten und Angebote 1 Woche pausieren",
        PauseResume = "Jetzt fortsetzen",
        PausedUntil = "Neuigkeiten und Angebote sind pausiert bis {0}.",
        PersonalizationLegend = "Personalisierung",
        PersonalizationOptIn = "Meine Angaben (etwa Name und Interessen) nutzen, um meine Nachrichten zu personalisieren",
        Save = "Einstellungen speichern",
        Saved = "Ihre Einstellungen sind gespeichert.",
        SavedAwaitingConfirmation = "Ihre Einstellungen sind gespeichert. Wir haben Ihnen eine Nachricht mit einem Link geschickt, mit dem Sie Ihr Abonnement bestätigen.",
        EvidenceHeading = "Was Sie wann gewählt haben",
        EvidenceGranted = "Sie haben {0} am {1} über {2} gewählt.",
        EvidenceConfirmed = "Sie haben {0} am {1} über {2} gewählt und am {3} bestätigt.",
        EvidenceWithdrawn = "Sie haben {0} am {1} über {2} abbestellt.",
        EvidencePending = "Sie haben {0} am {1} über {2} angefordert; die Bestätigung steht aus.",
        EvidenceNone = "Noch nichts erfasst.",
        PurposeMarketing = "Neuigkeiten und Angebote",
        PurposeService = "Servicenachrichten",
        PurposeRelationship = "Nachrichten zu unserer Beziehung",
        ScopeChannelPurpose = "{1} per {0}",
        ScopeChannel = "Nachrichten per {0}",
        ScopePurpose = "alle {0}",
        ScopeTopic = "„{0}“",
        ScopePersonalization = "personalisierte Nachrichten",
        UnsubscribeTitle = "Abmelden",
        UnsubscribeQuestion = "{0} beenden?",
        UnsubscribeButton = "Abmelden",
        UnsubscribeDone = "Erledigt: Sie erhalten keine {0} mehr.",
        ManageLink = "Alle Einstellungen verwalten",
        ConfirmTitle = "Anmeldung bestätigen",
        ConfirmQuestion = "Bitte bestätigen Sie, dass Sie {0} wünschen.",
        ConfirmButton = "Bestätigen",
        ConfirmDone = "Vielen Dank: {0} ist bestätigt.",
        AnswerTitle = "Eine kurze Frage",
        AnswerChosen = "Ihre Antwort: {0}",
        AnswerLabel = "Ihre Antwort",
        AnswerButton = "Antwort senden",
        AnswerDone = "Vielen Dank: Wir haben Ihre Antwort notiert und fragen nicht noch einmal.",
        AnswerAlready = "Sie haben diese Frage bereits beantwortet. Vielen Dank.",
        ErrorTitle = "Dieser Link kann nicht verwendet werden",
        ErrorLink = "Der Link ist ungültig oder abgelaufen. Bitte verwenden Sie den Link aus unserer neuesten Nachricht.",
        ErrorCsrf = "Das Formular ist abgelaufen. Bitte öffnen Sie die Seite erneut und wiederholen Sie Ihre Änderungen.",
        ErrorRateLimited = "Zu viele Anfragen. Bitte warten Sie eine Minute und versuchen Sie es erneut.",
        ErrorTooLarge = "Die Anfrage ist zu groß.",
        ErrorField = "Dieser Wert kann nicht angenommen werden: {0}.",
        ErrorConfirmationExpired = "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich erneut an; wir senden Ihnen einen neuen Link.",
        ErrorConfirmationWithdrawn = "Sie haben sich nach dieser Anfrage abgemeldet, daher haben wir Sie nicht erneut angemeldet. Sie können sich in Ihren Einstellungen erneut anmelden.",
        ErrorConflict = "Ihre Änderung konnte gerade nicht gespeichert werden. Bitte versuchen Sie es erneut.",
    };

    /// <summary>Formats a text with the culture's conventions.</summary>
    internal string Format(string format, params object?[] args) => string.Format(Culture, format, args);

    /// <summary>A date as people write it, for example <c>3 March 2026</c> or <c>3. März 2026</c>.</summary>
    internal string Date(DateTimeOffset instant, TimeZoneInfo zone)
        => TimeZoneInfo.ConvertTime(instant, zone).ToString(Culture.TwoLetterISOLanguageName == "de" ? "d. MMMM yyyy" : "d MMMM yyyy", Culture);

    /// <summary>A date and time, for example <c>25 March 2026, 10:00</c>.</summary>
    internal string DateTime(DateTimeOffset instant, TimeZoneInfo zone)
        => Date(instant, zone) + ", " + TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
}
