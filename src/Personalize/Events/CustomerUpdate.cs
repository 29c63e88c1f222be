using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Events;

/// <summary>
/// What applying events (or a tick) to one stored customer produced, before it is written: the new facts, profile
/// fields that followed (stage, service flags), the events to store, the changes to record, and the triggers to decide.
/// </summary>
internal sealed class CustomerUpdate
{
    public CustomerUpdate(StoredCustomer stored)
    {
        Stored = stored;
        Profile = stored.Profile;
        ExpectedVersion = stored.Version;
    }

    public StoredCustomer Stored { get; }

    /// <summary>The customer with the new facts, stage and service flags: what decisions see.</summary>
    public CustomerProfile Profile { get; set; }

    public bool ProfileFieldsChanged { get; set; }

    /// <summary>Whether the only profile field the events changed is the lifecycle stage (no service flag, no consent evidence, no suppression).</summary>
    public bool OnlyStageChanged => ProfileFieldsChanged && !ServiceFlagsChanged && Consents.Count == 0 && Suppressions.Count == 0;

    /// <summary>Whether the events changed a service flag (an open complaint, a failed payment, the NPS score).</summary>
    public bool ServiceFlagsChanged { get; set; }

    /// <summary>
    /// Whether the write carries the new stage alone (<see cref="CustomerSends.Stage"/>) instead of the whole profile: the
    /// customer was read as a screen (not whole), and the store writes a stage without it (<see cref="IScreenReader.WritesStage"/>).
    /// </summary>
    public bool WritesStageOnly { get; set; }

    public bool FactsChanged { get; set; }

    public long FactChanges { get; set; }

    public List<CustomerEvent> Events { get; } = [];

    public List<long> Indexes { get; } = [];

    public List<CustomerChange> Changes { get; } = [];

    /// <summary>Contact points the events put on the suppression list (written before the update).</summary>
    public List<SuppressionRequest> Suppressions { get; } = [];

    /// <summary>Consent evidence the events add (appended before the update, each once).</summary>
    public List<Consent.ConsentRecord> Consents { get; } = [];

    /// <summary>The version the update's write expects: the version read, or the one after the consent evidence was appended.</summary>
    public long ExpectedVersion { get; set; }

    /// <summary>The triggers to decide, each with the event it answers (or null), in order.</summary>
    public List<(Trigger Trigger, CustomerEvent? Event)> Triggers { get; } = [];

    public bool HasWrites => FactsChanged || ProfileFieldsChanged || Events.Count > 0 || Changes.Count > 0;

    /// <summary>The store write of the update (without sends).</summary>
    public CustomerSends ToSends() => new()
    {
        CustomerId = Stored.Id,
        ExpectedVersion = ExpectedVersion,
        Profile = ProfileFieldsChanged && !WritesStageOnly ? Profile : null,
        Stage = WritesStageOnly ? Profile.Stage : null,
        Facts = FactsChanged ? Profile.Facts : null,
        Events = Events,
        Changes = Changes,
    };
}

/// <summary>Applies events to a customer's facts, the lifecycle rules to the facts, and lists the triggers.</summary>
internal static class FactUpdater
{
    /// <summary>Applies events (sorted here by when they happened) to a stored customer.</summary>
    public static CustomerUpdate Apply(StoredCustomer stored, List<(long Index, CustomerEvent Event)> events, EventOptions options, DateTimeOffset at)
    {
        var update = new CustomerUpdate(stored);
        events.Sort(static (a, b) => a.Event.OccurredAt != b.Event.OccurredAt ? a.Event.OccurredAt.CompareTo(b.Event.OccurredAt) : string.CompareOrdinal(a.Event.Id, b.Event.Id));
        var facts = stored.Profile.Facts.Copy();
        var profile = stored.Profile;
        FactEditor? editor = null;
        foreach (var (index, e) in events)
        {
            if (editor is null)
            {
                editor = new FactEditor(facts, e);
            }
            else
            {
                editor.Reset(e);
            }

            options.Mappings.Apply(editor);
            profile = Effects(editor, update, profile);
            update.Events.Add(e);
            update.Indexes.Add(index);
            update.FactChanges += editor.Changed.Count;
            if (editor.Changed.Count > 0)
            {
                update.FactsChanged = true;
            }

            var triggers = at - e.OccurredAt <= options.MaxTriggerAge;
            if (triggers)
            {
                update.Triggers.Add((Trigger.Event(e.Type), e));
            }

            if (!profile.StagePinned && options.Lifecycle.Enabled)
            {
                var (stage, cause) = options.Lifecycle.Derive(CustomerFacts.Wrap(facts), e.OccurredAt);
                if (stage > profile.Stage)
                {
                    update.Changes.Add(new CustomerChange
                    {
                        CustomerId = stored.Id,
                        Kind = ChangeKinds.Stage,
                        From = CustomerModel.StageName(profile.Stage),
                        To = CustomerModel.StageName(stage),
                        At = e.OccurredAt,
                        Cause = cause,
                        EventId = e.Id,
                    });
                    profile = profile with { Stage = stage };
                    update.ProfileFieldsChanged = true;
                    editor.Set(FactNames.Stage, CustomerModel.StageName(stage));
                    update.FactsChanged = true;
                    if (triggers)
                    {
                        update.Triggers.Add((Trigger.Stage(stage), e));
                    }
                }
            }
        }

        var flags = ServiceFlagsFrom(facts, profile.ServiceFlags);
        if (!Equals(flags, profile.ServiceFlags))
        {
            profile = profile with { ServiceFlags = flags };
            update.ProfileFieldsChanged = true;
            update.ServiceFlagsChanged = true;
        }

        update.Profile = profile with { Facts = CustomerFacts.Wrap(facts) };
        return update;
    }

    /// <summary>What a mapping asked for beyond facts: suppressions (with their facts) and consent evidence (also in the profile decisions see).</summary>
    private static CustomerProfile Effects(FactEditor editor, CustomerUpdate update, CustomerProfile profile)
    {
        foreach (var (kind, value, reason) in editor.Suppressions)
        {
            var target = value ?? kind switch
            {
                Channels.ContactPointKind.Email => profile.ContactPoints.Email,
                Channels.ContactPointKind.Phone => profile.ContactPoints.Phone,
                _ => profile.ContactPoints.DeviceTokens.Count > 0 ? profile.ContactPoints.DeviceTokens[0] : null,
            };
            if (string.IsNullOrWhiteSpace(target))
            {
                continue;
            }

            update.Suppressions.Add(new SuppressionRequest(kind, target, reason, editor.Event.OccurredAt));
            var name = FactNames.SuppressedPrefix + SuppressedKind(kind);
            editor.Set(name, ContactPointHash.Normalize(kind, target));
            editor.Set(name + "_reason", reason);
        }

        foreach (var record in editor.Consents)
        {
            update.Consents.Add(record);
            profile = profile with { Consents = profile.Consents.Append(record) };
        }

        return profile;
    }

    /// <summary>The fact suffix of a suppressible contact point kind: <c>email</c>, <c>phone</c>, <c>device_token</c>.</summary>
    internal static string SuppressedKind(Channels.ContactPointKind kind) => kind switch
    {
        Channels.ContactPointKind.Email => "email",
        Channels.ContactPointKind.DeviceToken => "device_token",
        _ => "phone",
    };

    /// <summary>The service flags with what the facts say (a fact the events never set leaves the host's flag as it is).</summary>
    public static ServiceFlags ServiceFlagsFrom(Dictionary<string, Fact> facts, ServiceFlags flags)
    {
        if (facts.TryGetValue(FactNames.OpenComplaint, out var complaint) && complaint.Value is bool open && open != flags.OpenComplaint)
        {
            flags = flags with { OpenComplaint = open };
        }

        if (facts.TryGetValue(FactNames.FailedPayment, out var payment) && payment.Value is bool failed && failed != flags.FailedPayment)
        {
            flags = flags with { FailedPayment = failed };
        }

        if (facts.TryGetValue(FactNames.NpsScore, out var nps) && nps.Value is long score && score != flags.NpsScore)
        {
            flags = flags with { NpsScore = (int)score };
        }

        return flags;
    }
}
