using System.Globalization;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Storage;

/// <summary>Argument checks and helpers every store shares (the SQLite and PostgreSQL packages see them too).</summary>
internal static class StoreChecks
{
    /// <summary>The contact points the suppression list covers, with the field path an import error names.</summary>
    public static IEnumerable<(string Field, ContactPointKind Kind, string Value)> SuppressibleContactPoints(ContactPoints points)
    {
        if (!string.IsNullOrWhiteSpace(points.Email))
        {
            yield return ("contactPoints.email", ContactPointKind.Email, points.Email);
        }

        if (!string.IsNullOrWhiteSpace(points.Phone))
        {
            yield return ("contactPoints.phone", ContactPointKind.Phone, points.Phone);
        }

        for (var i = 0; i < points.DeviceTokens.Count; i++)
        {
            var token = points.DeviceTokens[i];
            if (!string.IsNullOrWhiteSpace(token))
            {
                yield return ($"contactPoints.deviceTokens[{i}]", ContactPointKind.DeviceToken, token);
            }
        }
    }

    public static string SuppressedMessage(ContactPointKind kind, SuppressionEntry entry)
    {
        var what = kind switch
        {
            ContactPointKind.Email => "email address",
            ContactPointKind.Phone => "phone number",
            _ => "device token",
        };
        var why = entry.Reason switch
        {
            SuppressionReasons.Erased => "its customer was erased",
            SuppressionReasons.HardBounce => "it bounced for good",
            SuppressionReasons.SoftBounceLimit => "it soft-bounced too many times in a row",
            SuppressionReasons.Complaint => "its owner complained",
            SuppressionReasons.Manual => "an operator blocked it",
            _ => "reason " + entry.Reason,
        };
        return $"this {what} is on the suppression list ({why} on {entry.At.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}) and is not imported again.";
    }

    /// <summary>
    /// The attribute limits of <see cref="Serialization.CustomerJson"/> at their defaults (64 KiB per value, 500 per
    /// customer), for profiles that come from code rather than JSON: a store refuses what the loader would.
    /// </summary>
    /// <returns>The field, code and message of the first attribute over a limit; <see langword="null"/> when none is.</returns>
    public static (string Field, string Code, string Message)? AttributeProblem(CustomerProfile profile)
    {
        var attributes = profile.Attributes;
        if (attributes.Count > Serialization.CustomerJson.DefaultMaxAttributes)
        {
            return ("attributes", Serialization.CustomerJsonCodes.TooManyAttributes, $"The customer has {attributes.Count.ToString("N0", CultureInfo.InvariantCulture)} attributes; a customer may have at most {Serialization.CustomerJson.DefaultMaxAttributes.ToString("N0", CultureInfo.InvariantCulture)}.");
        }

        foreach (var (name, value) in attributes)
        {
            var size = Serialization.CustomerJsonReader.RawSize(value);
            if (size > Serialization.CustomerJson.DefaultMaxAttributeBytes)
            {
                return ("attributes." + name, Serialization.CustomerJsonCodes.AttributeTooLarge, $"The attribute is {size.ToString("N0", CultureInfo.InvariantCulture)} bytes of JSON; an attribute value may have at most {Serialization.CustomerJson.DefaultMaxAttributeBytes.ToString("N0", CultureInfo.InvariantCulture)}. Keep large data outside the profile and store a reference.");
            }
        }

        return null;
    }

    /// <summary>The profile without its consent ledger, history and event facts (those live in their own tables).</summary>
    public static CustomerProfile FactsOf(CustomerProfile profile)
        => profile.Consents.Records.Count == 0 && profile.History.Count == 0 && profile.Facts.Count == 0
            ? profile
            : profile with { Consents = ConsentLedger.Empty, History = ContactHistory.Empty, Facts = Events.CustomerFacts.Empty };

    /// <summary>Checks the event writes of a batch: events with an id, a type and the entry's customer; changes of the entry's customer.</summary>
    public static void ThrowIfInvalidEvents(CustomerSends sends)
    {
        for (var i = 0; i < sends.Events.Count; i++)
        {
            var @event = sends.Events[i];
            if (@event is null || string.IsNullOrEmpty(@event.Id) || string.IsNullOrEmpty(@event.Type) || @event.CustomerId != sends.CustomerId)
            {
                throw new ArgumentException($"Customer {sends.CustomerId}: an event to store is null, has no id or type, or is about another customer.", nameof(sends));
            }
        }

        for (var i = 0; i < sends.Changes.Count; i++)
        {
            var change = sends.Changes[i];
            if (change is null || change.CustomerId != sends.CustomerId)
            {
                throw new ArgumentException($"Customer {sends.CustomerId}: a change to record is null or about another customer.", nameof(sends));
            }
        }

        if (sends.Profile is { } profile && profile.Id != sends.CustomerId)
        {
            throw new ArgumentException($"Customer {sends.CustomerId}: the profile to write has id '{profile.Id}'.", nameof(sends));
        }
    }

    public static void ThrowIfInvalid(IReadOnlyList<ConsentRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException($"Consent record {i} is null.", nameof(records));
            }

            if (records[i].MethodEvidence is { } evidence && !MethodEvidence.IsWellFormed(evidence))
            {
                throw new ArgumentException($"Consent record {i}: MethodEvidence is not a keyed hash (64 lower-case hex characters); make it with MethodEvidence.Compute, never store the IP address or user agent.", nameof(records));
            }
        }
    }

    public static void ThrowIfInvalid(IReadOnlyList<SuppressionRequest> requests)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i] ?? throw new ArgumentException($"Suppression request {i} is null.", nameof(requests));
            if (!ContactPointHash.IsSupported(request.Kind))
            {
                throw new ArgumentException($"Suppression request {i}: {request.Kind} contact points cannot be suppressed; use Email, Phone or DeviceToken.", nameof(requests));
            }

            if (string.IsNullOrWhiteSpace(request.Value) || string.IsNullOrWhiteSpace(request.Reason))
            {
                throw new ArgumentException($"Suppression request {i} has no value or no reason.", nameof(requests));
            }
        }
    }

    /// <summary>
    /// Whether a SQL store's write inserts a run page, given the run's recorded page that starts last at or before the
    /// page's last customer (the only one that can overlap it: a run's pages never overlap). The same page recorded
    /// already is not written again; one that overlaps it is added to <paramref name="refused"/> (its customers are conflicts).
    /// </summary>
    public static bool InsertsRunPage(RunPage page, RunPage? held, ref List<RunPage>? refused)
    {
        if (held == page)
        {
            return false;
        }

        if (held is not null && held.Overlaps(page))
        {
            (refused ??= []).Add(page);
            return false;
        }

        return true;
    }

    /// <summary>Whether a customer lies in one of a batch's run pages the store refused (<see cref="SendBatch.RunPages"/>): its entry is a conflict.</summary>
    public static bool InRefusedPage(List<RunPage>? refused, string customerId)
    {
        if (refused is null)
        {
            return false;
        }

        foreach (var page in refused)
        {
            if (page.Contains(customerId))
            {
                return true;
            }
        }

        return false;
    }

    public static void ThrowIfInvalid(SendBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch.Customers, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Delivered, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.Failed, nameof(batch));
        ArgumentNullException.ThrowIfNull(batch.RunPages, nameof(batch));
        for (var i = 0; i < batch.RunPages.Count; i++)
        {
            var page = batch.RunPages[i];
            if (page is null || string.IsNullOrEmpty(page.RunId) || string.IsNullOrEmpty(page.FirstCustomerId) || string.IsNullOrEmpty(page.LastCustomerId)
                || string.CompareOrdinal(page.FirstCustomerId, page.LastCustomerId) > 0 || !Delivery.IdempotencyKey.IsTag(page.Tag))
            {
                throw new ArgumentException($"A run page is null, has no run id, a first customer after its last ('{page?.FirstCustomerId}' > '{page?.LastCustomerId}') or a tag that is not {Delivery.IdempotencyKey.TagLength} characters of a-z2-7 ('{page?.Tag}').", nameof(batch));
            }
        }

        for (var i = 0; i < batch.RunPages.Count; i++)
        {
            for (var j = i + 1; j < batch.RunPages.Count; j++)
            {
                if (batch.RunPages[i].RunId == batch.RunPages[j].RunId && batch.RunPages[i].Overlaps(batch.RunPages[j]))
                {
                    throw new ArgumentException($"Two run pages of the batch overlap ('{batch.RunPages[i].FirstCustomerId}'…'{batch.RunPages[i].LastCustomerId}' and '{batch.RunPages[j].FirstCustomerId}'…'{batch.RunPages[j].LastCustomerId}').", nameof(batch));
                }
            }
        }

        for (var i = 0; i < batch.Customers.Count; i++)
        {
            var sends = batch.Customers[i];
            if (sends is null || string.IsNullOrEmpty(sends.CustomerId))
            {
                throw new ArgumentException("A CustomerSends entry is null or has no customer id.", nameof(batch));
            }

            ThrowIfInvalidEvents(sends);
            ThrowIfInvalidJourneys(sends);
            ArgumentNullException.ThrowIfNull(sends.Consents, nameof(batch));
            ThrowIfInvalid(sends.Consents);

            for (var j = 0; j < sends.Deliveries.Count; j++)
            {
                var delivery = sends.Deliveries[j];
                if (delivery is null || string.IsNullOrEmpty(delivery.IdempotencyKey) || delivery.CustomerId != sends.CustomerId)
                {
                    throw new ArgumentException($"A delivery of customer {sends.CustomerId} is null, has no key or names another customer.", nameof(batch));
                }
            }

            if (sends.ContactPoints is not { } points || !AllUsable(points))
            {
                throw new ArgumentException($"A contact point of customer {sends.CustomerId}'s deliveries is null or has no key or value.", nameof(batch));
            }

            for (var j = 0; j < sends.Scheduled.Count; j++)
            {
                var scheduled = sends.Scheduled[j];
                if (scheduled is null || string.IsNullOrEmpty(scheduled.IdempotencyKey) || scheduled.CustomerId != sends.CustomerId)
                {
                    throw new ArgumentException($"A scheduled send of customer {sends.CustomerId} is null, has no key or names another customer.", nameof(batch));
                }
            }

            for (var j = 0; j < sends.Completions.Count; j++)
            {
                var completion = sends.Completions[j];
                if (completion is null || string.IsNullOrEmpty(completion.IdempotencyKey))
                {
                    throw new ArgumentException($"A completion of customer {sends.CustomerId} is null or has no key.", nameof(batch));
                }

                if (completion.State == ScheduledSendState.Scheduled && completion.DueAt is null)
                {
                    throw new ArgumentException($"Completion of '{completion.IdempotencyKey}' defers again but has no DueAt.", nameof(batch));
                }
            }
        }

        for (var i = 0; i < batch.Failed.Count; i++)
        {
            var failure = batch.Failed[i];
            if (failure is null || string.IsNullOrEmpty(failure.IdempotencyKey))
            {
                throw new ArgumentException("A delivery failure is null or has no key.", nameof(batch));
            }
        }

        if (batch.Run is { Id.Length: 0 })
        {
            throw new ArgumentException("The run record has no id.", nameof(batch));
        }
    }

    /// <summary>Whether every contact point is there, with a key and a value.</summary>
    private static bool AllUsable(IReadOnlyList<DeliveryContactPoint> points)
    {
        for (var i = 0; i < points.Count; i++)
        {
            if (points[i] is not { IdempotencyKey.Length: > 0, Value: not null })
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks an entry's journey instances: each names the entry's customer, has a journey and instance id, and appears once.</summary>
    public static void ThrowIfInvalidJourneys(CustomerSends sends)
    {
        ArgumentNullException.ThrowIfNull(sends.Journeys, "batch");
        HashSet<string>? keys = null;
        for (var i = 0; i < sends.Journeys.Count; i++)
        {
            var instance = sends.Journeys[i];
            if (instance is null || instance.CustomerId != sends.CustomerId || string.IsNullOrEmpty(instance.JourneyId) || string.IsNullOrEmpty(instance.InstanceId) || instance.Revision < 1)
            {
                throw new ArgumentException($"A journey instance of customer {sends.CustomerId} is null, names another customer, has no journey or instance id, or a revision below 1.", "batch");
            }

            if (!(keys ??= new HashSet<string>(StringComparer.Ordinal)).Add(instance.Key))
            {
                throw new ArgumentException($"Journey instance {instance.JourneyId}/{instance.InstanceId} of customer {sends.CustomerId} appears twice in one entry.", "batch");
            }
        }
    }
}
