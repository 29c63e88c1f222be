using System.Globalization;
using Personalize.Customers;

namespace Personalize.Tests.Properties;

/// <summary>
/// Counterexamples the property suite printed (as C#), kept as regression cases: each was found by the suite against
/// the engine with one of issue 20's violations put back (see Properties/README.md), and must keep matching the model.
/// </summary>
public static class FoundCases
{
    public static readonly IReadOnlyDictionary<string, Scenario> All = new Dictionary<string, Scenario>
    {
        ["pending-after-withdrawal (issue 20, violation 1; seed 8QD_Me_gySU1)"] =
        new Scenario
        {
            Zone = "Etc/UTC",
            At = DateTimeOffset.Parse("2026-11-24T16:20:20.0000000Z", CultureInfo.InvariantCulture),
            Trigger = "event:x",
            Stage = LifecycleStage.Retention,
            HasEmail = false, HasPhone = true, HasDevice = true, HasPostal = true,
            Ranking = ["push"],
            CustomerCaps = [new CapSpec(null, 2, CapPeriod.Month), new CapSpec(null, 1, CapPeriod.Week)],
            PreferredDays = [],
            PreferredHours = [],
            Quiet = new WindowSpec(1020, 1440),
            Consents =
            [
                new ConsentSpec(ScopeKind.Channel, "direct_mail", ContactPurpose.Marketing, null, Grant: true, RecordedMinutes: 241, Double: false, ConfirmedAfterMinutes: null),
                new ConsentSpec(ScopeKind.Purpose, null, ContactPurpose.Service, null, Grant: true, RecordedMinutes: -71874, Double: false, ConfirmedAfterMinutes: null),
                new ConsentSpec(ScopeKind.Channel, "direct_mail", ContactPurpose.Marketing, null, Grant: true, RecordedMinutes: -1556, Double: true, ConfirmedAfterMinutes: 5684),
                new ConsentSpec(ScopeKind.Channel, "direct_mail", ContactPurpose.Marketing, null, Grant: false, RecordedMinutes: -42478, Double: false, ConfirmedAfterMinutes: null),
                new ConsentSpec(ScopeKind.Purpose, null, ContactPurpose.Service, null, Grant: false, RecordedMinutes: 1569, Double: false, ConfirmedAfterMinutes: null),
            ],
            History =
            [
                new HistorySpec("m0", "in_app", ContactPurpose.Service, MessageKind.Give, -138783),
                new HistorySpec("m2", "email", ContactPurpose.Service, MessageKind.Give, -2611215),
                new HistorySpec("other", "in_app", ContactPurpose.Service, MessageKind.Give, -272880),
                new HistorySpec("m0", "direct_mail", ContactPurpose.Service, MessageKind.Give, 146458),
                new HistorySpec("m3", "in_app", ContactPurpose.Relationship, MessageKind.Ask, -1796400),
            ],
            OpenComplaint = false, FailedPayment = false, Nps = null, Vip = null,
            Messages =
            [
                new MessageSpec { Id = "m0", Purpose = ContactPurpose.Service, Kind = MessageKind.Give, Topics = [], Stages = [], Triggers = ["schedule:tick", "campaign:y"], Condition = ConditionSpec.None, Priority = 1, Value = 1, OncePerDays = null, Channels = ["direct_mail", "email", "push"], Drop = false, ExpiresInMinutes = null, MaxDelayMinutes = null },
                new MessageSpec { Id = "m1", Purpose = ContactPurpose.Relationship, Kind = MessageKind.Ask, Topics = [], Stages = [], Triggers = ["event:x"], Condition = ConditionSpec.None, Priority = 0.5, Value = 1, OncePerDays = 30, Channels = ["email", "push", "sms", "direct_mail", "in_app"], Drop = true, ExpiresInMinutes = null, MaxDelayMinutes = 5665 },
                new MessageSpec { Id = "m2", Purpose = ContactPurpose.Marketing, Kind = MessageKind.Give, Topics = [], Stages = [LifecycleStage.Exposure, LifecycleStage.Retention], Triggers = ["schedule:tick", "event:x"], Condition = ConditionSpec.None, Priority = 3, Value = 1, OncePerDays = 30, Channels = ["email", "in_app", "direct_mail"], Drop = false, ExpiresInMinutes = 4920, MaxDelayMinutes = null },
            ],
            Options = new OptionsSpec { MaxWinners = 1, MaxAsks = 0, MinGives = 3, PromotionalCaps = [new CapSpec(null, 1, CapPeriod.Day), new CapSpec(null, 3, CapPeriod.Week)], ServiceCaps = [new CapSpec(null, 10, CapPeriod.Day)], ApplyCustomerCaps = true, RequireTopicMatch = true, PriorityWeight = 1, RelevanceWeight = 1, ValueWeight = 0.5, PreferredTimesApplyToService = true, DefaultQuiet = null, PendingExpiryDays = 7 },
        },
        ["zero-cap-with-empty-history (issue 20, violation 2; seed aNpAuSPA-Xy2)"] =
        new Scenario
        {
            Zone = "America/New_York",
            At = DateTimeOffset.Parse("2027-03-14T05:12:00.0000000Z", CultureInfo.InvariantCulture),
            Trigger = "event:x",
            Stage = LifecycleStage.Exposure,
            HasEmail = true, HasPhone = true, HasDevice = true, HasPostal = true,
            Ranking = ["push", "email"],
            CustomerCaps = [new CapSpec("sms", 0, CapPeriod.Day)],
            PreferredDays = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Saturday],
            PreferredHours = [],
            Quiet = new WindowSpec(75, 240),
            Consents =
            [
                new ConsentSpec(ScopeKind.Purpose, null, ContactPurpose.Service, null, Grant: true, RecordedMinutes: -50387, Double: false, ConfirmedAfterMinutes: null),
                new ConsentSpec(ScopeKind.Channel, "sms", ContactPurpose.Marketing, null, Grant: true, RecordedMinutes: -51578, Double: false, ConfirmedAfterMinutes: null),
            ],
            History =
            [
            ],
            OpenComplaint = false, FailedPayment = false, Nps = null, Vip = null,
            Messages =
            [
                new MessageSpec { Id = "m0", Purpose = ContactPurpose.Relationship, Kind = MessageKind.Give, Topics = [], Stages = [], Triggers = ["schedule:tick", "event:x", "campaign:y"], Condition = ConditionSpec.None, Priority = 3, Value = 2, OncePerDays = null, Channels = ["email", "sms"], Drop = false, ExpiresInMinutes = 4920, MaxDelayMinutes = null },
            ],
            Options = new OptionsSpec { MaxWinners = 2, MaxAsks = 1, MinGives = 1, PromotionalCaps = [new CapSpec(null, 1, CapPeriod.Day), new CapSpec(null, 3, CapPeriod.Week)], ServiceCaps = [new CapSpec(null, 2, CapPeriod.Day)], ApplyCustomerCaps = true, RequireTopicMatch = false, PriorityWeight = 0, RelevanceWeight = 1, ValueWeight = 1, PreferredTimesApplyToService = true, DefaultQuiet = null, PendingExpiryDays = 7 },
        },
        ["winners-share-caps (issue 20, violation 4; seed 38P8GvIj9fh1)"] =
        new Scenario
        {
            Zone = "Pacific/Chatham",
            At = DateTimeOffset.Parse("2026-05-01T21:11:00.0000000Z", CultureInfo.InvariantCulture),
            Trigger = "event:x",
            Stage = LifecycleStage.Retention,
            HasEmail = true, HasPhone = true, HasDevice = false, HasPostal = true,
            Ranking = ["in_app"],
            CustomerCaps = [new CapSpec("email", 3, CapPeriod.Day), new CapSpec(null, 3, CapPeriod.Week)],
            PreferredDays = [DayOfWeek.Tuesday, DayOfWeek.Thursday],
            PreferredHours = [new WindowSpec(330, 1185), new WindowSpec(675, 1035)],
            Quiet = new WindowSpec(600, 615),
            Consents =
            [
                new ConsentSpec(ScopeKind.Topic, null, ContactPurpose.Marketing, "c", Grant: true, RecordedMinutes: 1425, Double: false, ConfirmedAfterMinutes: null),
            ],
            History =
            [
                new HistorySpec("m3", "in_app", ContactPurpose.Service, MessageKind.Give, -1868195),
                new HistorySpec("m1", "sms", ContactPurpose.Relationship, MessageKind.Give, -2310720),
            ],
            OpenComplaint = false, FailedPayment = true, Nps = 7, Vip = true,
            Messages =
            [
                new MessageSpec { Id = "m0", Purpose = ContactPurpose.Service, Kind = MessageKind.Give, Topics = [], Stages = [], Triggers = ["event:x", "campaign:y"], Condition = ConditionSpec.None, Priority = 1, Value = 2, OncePerDays = null, Channels = ["email", "sms", "push", "in_app"], Drop = false, ExpiresInMinutes = null, MaxDelayMinutes = 8884 },
                new MessageSpec { Id = "m1", Purpose = ContactPurpose.Service, Kind = MessageKind.Give, Topics = [], Stages = [], Triggers = ["event:x"], Condition = ConditionSpec.None, Priority = 2, Value = 1, OncePerDays = null, Channels = ["direct_mail", "in_app", "email", "sms"], Drop = false, ExpiresInMinutes = null, MaxDelayMinutes = null },
            ],
            Options = new OptionsSpec { MaxWinners = 2, MaxAsks = 0, MinGives = 0, PromotionalCaps = [new CapSpec(null, 1, CapPeriod.Day), new CapSpec(null, 3, CapPeriod.Week)], ServiceCaps = [new CapSpec(null, 1, CapPeriod.Day)], ApplyCustomerCaps = true, RequireTopicMatch = true, PriorityWeight = 1, RelevanceWeight = 1, ValueWeight = 2, PreferredTimesApplyToService = false, DefaultQuiet = new WindowSpec(1020, 450), PendingExpiryDays = 7 },
        },
    };

    /// <summary>Contact windows whose next allowed instant the engine got wrong (issue 20, violation 3: the repeated hour when clocks go back).</summary>
    public static readonly IReadOnlyDictionary<string, WindowCase> Windows = new Dictionary<string, WindowCase>
    {
        ["new-york-fall-back (issue 20, violation 3; seed f3V3OIDBDie1)"] = new WindowCase("America/New_York", DateTimeOffset.Parse("2027-11-07T05:53:59.0000000Z", CultureInfo.InvariantCulture), new WindowSpec(75, 420), [DayOfWeek.Saturday], [new WindowSpec(15, 105), new WindowSpec(268, 1285)], Strict: false),
    };
}
