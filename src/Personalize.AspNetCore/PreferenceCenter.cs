using Microsoft.Extensions.Options;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Eligibility;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.AspNetCore;

/// <summary>
/// The preference center's operations over the store, shared by the pages and the JSON API, and the links they answer:
/// double opt-in requests with their confirmation link, topic unsubscribe links. Every consent change is appended to
/// the customer's ledger as evidence (what, granted or withdrawn, when, source, the wording and its version).
/// Thread-safe; registered by <c>AddPersonalizePreferenceCenter</c>.
/// </summary>
public sealed class PreferenceCenter
{
    private readonly IPersonalizeStore _store;
    private readonly ContactEligibility _eligibility;
    private readonly TimeProvider _time;
    private readonly string _confirmBase;
    private readonly string _unsubscribeBase;
    private readonly byte[] _evidenceKey;
    private readonly ConfirmationMessages? _confirmations;

    /// <summary>Creates the service without confirmation messages: the host sends the links <see cref="RequestDoubleOptInAsync"/> returns.</summary>
    /// <param name="options">The preference-center options.</param>
    /// <param name="delivery">The delivery options (link addresses).</param>
    /// <param name="tokens">The token service that signs the links.</param>
    /// <param name="store">The store.</param>
    /// <param name="eligibility">Consent rules (the same as the decision engine's).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public PreferenceCenter(PreferenceCenterOptions options, DeliveryOptions delivery, SignedTokenService tokens, IPersonalizeStore store, ContactEligibility eligibility, TimeProvider timeProvider)
        : this(options, delivery, tokens, store, eligibility, timeProvider, null)
    {
    }

    /// <summary>Creates the service; every double opt-in request sends its confirmation as a catalog service message.</summary>
    /// <param name="options">The preference-center options.</param>
    /// <param name="delivery">The delivery options (link addresses).</param>
    /// <param name="tokens">The token service that signs the links.</param>
    /// <param name="store">The store.</param>
    /// <param name="eligibility">Consent rules (the same as the decision engine's).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="confirmations">The confirmation messages (<c>AddPersonalizeConfirmationMessages</c>), or <see langword="null"/> when the host sends the links itself.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public PreferenceCenter(PreferenceCenterOptions options, DeliveryOptions delivery, SignedTokenService tokens, IPersonalizeStore store, ContactEligibility eligibility, TimeProvider timeProvider, ConfirmationMessages? confirmations)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Personalize preference-center options are invalid: " + string.Join(" ", errors), nameof(options));
        }

        if (delivery.PreferenceCenterUrl is null || delivery.UnsubscribeUrl is null)
        {
            throw new ArgumentException("DeliveryOptions.PreferenceCenterUrl and UnsubscribeUrl must be set (AddPersonalizeDelivery).", nameof(delivery));
        }

        Options = options;
        Tokens = tokens;
        _store = store;
        _eligibility = eligibility;
        _time = timeProvider;
        _confirmations = confirmations;
        if (options.DoubleOptInChannels.Count > 0 && confirmations is null)
        {
            throw new ArgumentException("PreferenceCenterOptions.DoubleOptInChannels needs confirmation messages to send the links: register them with AddPersonalizeConfirmationMessages (docs/preference-center.md).", nameof(confirmations));
        }

        _confirmBase = WithoutQuery(delivery.PreferenceCenterUrl).TrimEnd('/') + "/confirm?token=";
        _unsubscribeBase = WithoutQuery(delivery.UnsubscribeUrl) + "?token=";

        // The method evidence's key: the host's own, or one derived from the token signing key (never the key itself).
        _evidenceKey = options.MethodEvidenceKey is { } own
            ? System.Text.Encoding.UTF8.GetBytes(own)
            : System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(delivery.TokenSigningKey ?? throw new ArgumentException("DeliveryOptions.TokenSigningKey must be set (AddPersonalizeDelivery).", nameof(delivery))), "personalize/method-evidence/v1"u8);
    }

    /// <summary>
    /// The method evidence of a request (<see cref="ConsentRecord.MethodEvidence"/>): the keyed hash of the client's IP
    /// address and user agent that every consent record the preference center writes carries. A host that records
    /// consent itself from a request (for example <see cref="RequestDoubleOptInAsync"/>) passes it along.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public string MethodEvidenceOf(Microsoft.AspNetCore.Http.HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return MethodEvidence.Compute(_evidenceKey, context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
    }

    /// <summary>The options.</summary>
    public PreferenceCenterOptions Options { get; }

    /// <summary>The token service.</summary>
    public SignedTokenService Tokens { get; }

    internal IPersonalizeStore Store => _store;

    internal ContactEligibility Eligibility => _eligibility;

    internal DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Records a double opt-in request (a pending grant, which is not consent) and returns the confirmation link. With
    /// <see cref="ConfirmationMessages"/> registered the link goes out at once as the catalog's confirmation message
    /// (<see cref="SendConfirmationAsync"/>); without, send it to the customer yourself. The link works once and only
    /// until the pending expiry (<see cref="PersonalizeOptions.PendingOptInExpiry"/>); a withdrawal after the request
    /// wins over a later click.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="scope">What the customer asked for, for example <c>ConsentScope.ForTopic("gardening")</c>.</param>
    /// <param name="wording">The exact wording the customer agreed to.</param>
    /// <param name="source">Where the request came from; by default the preference center.</param>
    /// <param name="methodEvidence">The evidence of the request the customer made (<see cref="MethodEvidenceOf"/>), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The confirmation link, when it expires and what became of its message; <see langword="null"/> when the store has no such customer.</returns>
    public async ValueTask<DoubleOptInRequest?> RequestDoubleOptInAsync(string customerId, ConsentScope scope, string wording, ConsentSource? source = null, string? methodEvidence = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(wording);
        var now = TruncateToSeconds(Now);
        var record = new ConsentRecord
        {
            Scope = scope,
            Action = ConsentAction.Grant,
            RecordedAt = now,
            Source = source ?? ConsentSource.Form(Options.SourceDetail),
            Wording = wording,
            WordingVersion = Options.WordingVersion,
            OptIn = OptInMethod.Double,
            MethodEvidence = methodEvidence,
        };
        var written = await _store.AppendConsentAsync(customerId, [record], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (written.Status == WriteStatus.NotFound)
        {
            return null;
        }

        var expiresAt = ConfirmationExpiry(now);
        var confirmation = await SendConfirmationAsync(customerId, scope, now, wording, cancellationToken).ConfigureAwait(false);
        return new DoubleOptInRequest(ConfirmationLink(customerId, scope, now), now, expiresAt) { Confirmation = confirmation };
    }

    /// <summary>
    /// Sends the confirmation message of a recorded double opt-in request: a <see cref="DoubleOptInEvents.Requested"/>
    /// event for the customer, decided, recorded and sent through the catalog of <see cref="ConfirmationMessages"/>.
    /// The event's id comes from the request (customer, scope, instant), so calling this again for the same request —
    /// after a crash between the request and its message, or a second save of the same choice — sends nothing twice.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="scope">The scope requested.</param>
    /// <param name="requestedAt">When it was requested (the pending record's <see cref="ConsentRecord.RecordedAt"/>).</param>
    /// <param name="wording">The wording the customer agreed to (the event's <c>wording</c>).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What the ingestion decided and sent (<see cref="EventIngestionSummary.Sends"/>; a repeat counts a duplicate and sends nothing), or <see langword="null"/> without <see cref="ConfirmationMessages"/>.</returns>
    public async ValueTask<EventIngestionSummary?> SendConfirmationAsync(string customerId, ConsentScope scope, DateTimeOffset requestedAt, string wording, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentNullException.ThrowIfNull(wording);
        if (_confirmations is null)
        {
            return null;
        }

        requestedAt = TruncateToSeconds(requestedAt);
        var requested = new CustomerEvent
        {
            Id = ConfirmationEventId(customerId, scope, requestedAt),
            Type = DoubleOptInEvents.Requested,
            CustomerId = customerId,
            OccurredAt = requestedAt,
            Data = ConfirmationData(customerId, scope, requestedAt, wording),
        };
        return await _confirmations.SendAsync(requested, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends every confirmation a crash left unsent. A double opt-in request is two writes — the pending grant, then its
    /// confirmation event — so a process killed between them leaves a request without its message. This sweep reads the
    /// store's pending requests page by page and, for each request that still awaits confirmation (pending, not expired) and
    /// whose confirmation event the store does not hold, sends it (<see cref="SendConfirmationAsync"/>). The event's id
    /// comes from the request, so a sweep that races a request, or runs twice, sends nothing twice. The hosted worker
    /// (<c>AddPersonalizeWorker</c>) runs it at start and every <c>PersonalizeWorkerOptions.SweepInterval</c>; a host
    /// without the worker calls it after a restart.
    /// </summary>
    /// <param name="cancellationToken">Stops the sweep after the confirmation in hand.</param>
    /// <returns>How many missing confirmations it sent (each decided and recorded like any event); 0 without <see cref="ConfirmationMessages"/>.</returns>
    /// <remarks>
    /// It reads the requests of the confirmation window (<see cref="IPersonalizeStore.ReadPendingConsentsAsync"/>, from
    /// the store's index of pending requests, not every customer), looks up their event ids page by page, and reads only
    /// the customers whose event is missing.
    /// </remarks>
    public async ValueTask<int> SendMissingConfirmationsAsync(CancellationToken cancellationToken = default)
    {
        if (_confirmations is null)
        {
            return 0;
        }

        // Only a request of the confirmation window can still await confirmation: the store reads those from its index
        // of pending requests (not every customer), the candidates whose event is missing are the only customers read.
        var now = Now;
        var expiry = _eligibility.PendingOptInExpiry;
        var since = expiry == Timeout.InfiniteTimeSpan || expiry > now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - expiry;
        var sent = 0;
        var awaiting = new Dictionary<string, PendingConsent>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = await _store.ReadPendingConsentsAsync(new PendingConsentQuery { Since = since, ContinueAfter = after }, cancellationToken).ConfigureAwait(false);
            awaiting.Clear();
            foreach (var pending in page.Items)
            {
                awaiting.TryAdd(ConfirmationEventId(pending.CustomerId, pending.Request.Scope, TruncateToSeconds(pending.Request.RecordedAt)), pending);
            }

            if (awaiting.Count > 0)
            {
                var recorded = new HashSet<string>(await _store.FindEventsAsync(awaiting.Keys, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
                var missing = awaiting.Where(a => !recorded.Contains(a.Key)).Select(static a => a.Value).ToList();
                if (missing.Count > 0)
                {
                    // Still awaiting confirmation: not confirmed, withdrawn, asked again or expired since.
                    var customers = (await _store.GetCustomersAsync(missing.Select(static m => m.CustomerId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false))
                        .ToDictionary(static c => c.Profile.Id, StringComparer.Ordinal);
                    foreach (var (customerId, record) in missing)
                    {
                        if (customers.TryGetValue(customerId, out var customer)
                            && StateOf(customer.Profile, record.Scope, now) is { Status: ConsentStatus.Pending, Record: { } request }
                            && request.RecordedAt == record.RecordedAt)
                        {
                            await SendConfirmationAsync(customerId, record.Scope, request.RecordedAt, request.Wording ?? record.Scope.ToString(), cancellationToken).ConfigureAwait(false);
                            sent++;
                        }
                    }
                }
            }

            after = page.ContinueAfter;
        }
        while (after is not null);

        return sent;
    }

    /// <summary>The confirmation event's data (<see cref="DoubleOptInEvents.Requested"/> lists it).</summary>
    private System.Text.Json.JsonElement ConfirmationData(string customerId, ConsentScope scope, DateTimeOffset requestedAt, string wording)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("confirmation_url", ConfirmationLink(customerId, scope, requestedAt));
            json.WriteString("expires_at", ConfirmationExpiry(requestedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("channel", (scope.Kind == ConsentScopeKind.Channel ? scope.Channel : Options.ConfirmationChannel).Name);
            json.WriteString("scope", TokenScopeNames.Key(scope));
            json.WriteString("topic", scope.Topic);
            json.WriteString("wording", wording);
            json.WriteEndObject();
        }

        using var document = System.Text.Json.JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>The id of a request's confirmation event: <c>doi-</c> and 32 hex digits of a hash of customer, scope and instant (bounded, whatever the customer id's length).</summary>
    private static string ConfirmationEventId(string customerId, ConsentScope scope, DateTimeOffset requestedAt)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(customerId + "\n" + TokenScopeNames.Key(scope) + "\n" + requestedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "doi-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(key).AsSpan(0, 16)).ToLowerInvariant();
    }

    /// <summary>The confirmation link of a double opt-in requested at an instant.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="scope">The scope requested.</param>
    /// <param name="requestedAt">When it was requested (the pending record's <see cref="ConsentRecord.RecordedAt"/>).</param>
    /// <returns>For example <c>https://example.com/preferences/confirm?token=…</c>.</returns>
    public string ConfirmationLink(string customerId, ConsentScope scope, DateTimeOffset requestedAt)
        => _confirmBase + Tokens.CreateUntil(customerId, TokenScopeNames.Confirm(scope, requestedAt), ConfirmationExpiry(requestedAt));

    /// <summary>A link that unsubscribes from one topic (one-click, RFC 8058, like the channel unsubscribe link).</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="topic">The topic, for example <c>gardening</c>.</param>
    /// <param name="issuedAt">The instant the token lifetime counts from (usually the send instant).</param>
    /// <returns>For example <c>https://example.com/unsubscribe?token=…</c>.</returns>
    public string TopicUnsubscribeLink(string customerId, string topic, DateTimeOffset issuedAt)
    {
        var scope = ConsentScope.ForTopic(topic);
        return _unsubscribeBase + Tokens.Create(customerId, TokenScopeNames.TopicUnsubscribe(scope.Topic!), issuedAt);
    }

    internal DateTimeOffset ConfirmationExpiry(DateTimeOffset requestedAt)
        => _eligibility.PendingOptInExpiry == Timeout.InfiniteTimeSpan ? requestedAt.AddYears(100) : requestedAt + _eligibility.PendingOptInExpiry;

    /// <summary>Whether the customer is opted in to marketing on a channel now, and whether the channel can be offered (a contact point exists).</summary>
    internal (bool OptedIn, bool Reachable, bool Pending) ChannelState(CustomerProfile customer, Channel channel, DateTimeOffset now)
    {
        var result = _eligibility.CheckConsent(customer, channel, ContactPurpose.Marketing, now);
        return result.Code switch
        {
            EligibilityCodes.Allowed => (true, true, false),
            EligibilityCodes.ContactPointMissing or EligibilityCodes.ContactPointInvalid or EligibilityCodes.UnknownChannel => (false, false, false),
            EligibilityCodes.ConsentPendingDoubleOptIn => (false, true, true),
            _ => (false, true, false),
        };
    }

    internal ConsentState StateOf(CustomerProfile customer, ConsentScope scope, DateTimeOffset now)
        => customer.Consents.GetState(scope, now, _eligibility.PendingOptInExpiry);

    /// <summary>
    /// Applies choices as consent records and preferences in one store transaction (a crash leaves both or neither),
    /// retrying on version conflicts (the choices are a desired state, so they are compared with the customer as stored
    /// each time). Every consent record carries the request's method evidence.
    /// </summary>
    internal async ValueTask<ApplyResult> ApplyAsync(string customerId, PreferenceChoices choices, PreferenceCenterText text, string? evidence, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Options.MaxSaveAttempts; attempt++)
        {
            var stored = await _store.GetCustomerAsync(customerId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return new ApplyResult(ApplyStatus.NotFound, 0);
            }

            var now = Now;
            var records = ConsentChanges(stored.Profile, choices, text, now);
            if (evidence is not null)
            {
                for (var i = 0; i < records.Count; i++)
                {
                    records[i] = records[i] with { MethodEvidence = evidence };
                }
            }

            var preferences = Merge(stored.Profile.Preferences, choices, now);
            var changed = !SamePreferences(preferences, stored.Profile.Preferences);
            if (records.Count == 0 && !changed)
            {
                return new ApplyResult(ApplyStatus.Saved, 0, await SendPendingConfirmationsAsync(stored.Profile, choices, now, cancellationToken).ConfigureAwait(false));
            }

            var write = new CustomerSends
            {
                CustomerId = customerId,
                ExpectedVersion = stored.Version,
                Consents = records,
                Profile = changed ? stored.Profile with { Preferences = preferences } : null,
            };
            var result = (await _store.RecordAsync(new SendBatch { Customers = [write] }, cancellationToken).ConfigureAwait(false)).Customers[0];
            switch (result.Status)
            {
                case WriteStatus.Written:
                    var saved = stored.Profile with { Consents = new ConsentLedger(stored.Profile.Consents.Records.Concat(records)) };
                    return new ApplyResult(ApplyStatus.Saved, records.Count, await SendPendingConfirmationsAsync(saved, choices, now, cancellationToken).ConfigureAwait(false));
                case WriteStatus.NotFound:
                    return new ApplyResult(ApplyStatus.NotFound, 0);
            }
        }

        return new ApplyResult(ApplyStatus.Conflict, 0);
    }

    /// <summary>
    /// Sends the confirmation of every double opt-in the choices want that awaits confirmation: the one just requested,
    /// and one requested before (its message goes out once: sending again for the same request is a duplicate event, so
    /// a save after a crash between the request and its message completes it).
    /// </summary>
    /// <returns>The number of double opt-ins that await confirmation.</returns>
    private async ValueTask<int> SendPendingConfirmationsAsync(CustomerProfile customer, PreferenceChoices choices, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (choices.Channels is not { } channels || Options.DoubleOptInChannels.Count == 0)
        {
            return 0;
        }

        var pending = 0;
        foreach (var channel in Options.DoubleOptInChannels)
        {
            var scope = ConsentScope.ForChannel(channel, ContactPurpose.Marketing);
            if (channels.TryGetValue(channel, out var wanted) && wanted
                && StateOf(customer, scope, now) is { Status: ConsentStatus.Pending, Record: { } request })
            {
                pending++;
                await SendConfirmationAsync(customer.Id, scope, request.RecordedAt, request.Wording ?? scope.ToString(), cancellationToken).ConfigureAwait(false);
            }
        }

        return pending;
    }

    /// <summary>One-click unsubscribe: withdraws the scope unless it is already withdrawn (a repeated POST writes nothing).</summary>
    internal async ValueTask<ApplyStatus> WithdrawAsync(string customerId, ConsentScope scope, string wording, string? evidence, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Options.MaxSaveAttempts; attempt++)
        {
            var stored = await _store.GetCustomerAsync(customerId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return ApplyStatus.NotFound;
            }

            var now = Now;
            if (StateOf(stored.Profile, scope, now).Status == ConsentStatus.Withdrawn)
            {
                return ApplyStatus.Saved;
            }

            var record = new ConsentRecord
            {
                Scope = scope,
                Action = ConsentAction.Withdraw,
                RecordedAt = now,
                Source = ConsentSource.FromChannel(Options.UnsubscribeSourceDetail),
                Wording = wording,
                WordingVersion = Options.WordingVersion,
                MethodEvidence = evidence,
            };
            var written = await _store.AppendConsentAsync(customerId, [record], stored.Version, cancellationToken).ConfigureAwait(false);
            switch (written.Status)
            {
                case WriteStatus.Written:
                    return ApplyStatus.Saved;
                case WriteStatus.NotFound:
                    return ApplyStatus.NotFound;
            }
        }

        return ApplyStatus.Conflict;
    }

    /// <summary>Confirms a double opt-in: the pending request must exist, be within its expiry and not withdrawn since; used once.</summary>
    internal async ValueTask<ConfirmStatus> ConfirmAsync(string customerId, ConsentScope scope, long requestedAtSeconds, bool write, string? evidence, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Options.MaxSaveAttempts; attempt++)
        {
            var stored = await _store.GetCustomerAsync(customerId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return ConfirmStatus.Unknown;
            }

            ConsentRecord? request = null;
            var confirmed = false;
            var withdrawnSince = false;
            foreach (var record in stored.Profile.Consents.Records)
            {
                if (!record.Scope.Equals(scope))
                {
                    continue;
                }

                var seconds = record.RecordedAt.ToUnixTimeSeconds();
                if (record.Action == ConsentAction.Grant && record.OptIn == OptInMethod.Double && seconds == requestedAtSeconds)
                {
                    request ??= record;
                    confirmed |= record.ConfirmedAt is not null;
                }
                else if (record.Action == ConsentAction.Withdraw && seconds >= requestedAtSeconds)
                {
                    withdrawnSince = true;
                }
            }

            var now = Now;
            if (request is null)
            {
                return ConfirmStatus.Unknown;
            }

            if (confirmed)
            {
                return ConfirmStatus.AlreadyConfirmed;
            }

            if (withdrawnSince)
            {
                return ConfirmStatus.WithdrawnSince;
            }

            if (now >= ConfirmationExpiry(request.RecordedAt))
            {
                return ConfirmStatus.Expired;
            }

            if (!write)
            {
                return ConfirmStatus.Confirmable;
            }

            var confirmation = request with { ConfirmedAt = now, MethodEvidence = evidence ?? request.MethodEvidence };
            var written = await _store.AppendConsentAsync(customerId, [confirmation], stored.Version, cancellationToken).ConfigureAwait(false);
            switch (written.Status)
            {
                case WriteStatus.Written:
                    return ConfirmStatus.Confirmed;
                case WriteStatus.NotFound:
                    return ConfirmStatus.Unknown;
            }
        }

        return ConfirmStatus.Conflict;
    }

    /// <summary>The consent records that turn the customer's current consent into the chosen one (nothing for what is unchanged).</summary>
    internal List<ConsentRecord> ConsentChanges(CustomerProfile customer, PreferenceChoices choices, PreferenceCenterText text, DateTimeOffset now)
    {
        var records = new List<ConsentRecord>();
        var source = ConsentSource.Form(Options.SourceDetail);
        if (choices.Channels is { } channels)
        {
            foreach (var channel in Options.Channels)
            {
                if (!channels.TryGetValue(channel, out var wanted))
                {
                    continue;
                }

                var state = ChannelState(customer, channel, now);
                var doubleOptIn = wanted && Options.DoubleOptInChannels.Contains(channel);
                if (!state.Reachable || wanted == state.OptedIn || (doubleOptIn && state.Pending))
                {
                    continue; // a double opt-in already requested is confirmed by its link, not requested again
                }

                var record = Record(ConsentScope.ForChannel(channel, ContactPurpose.Marketing), wanted, now, source, text.Format(text.ChannelOptIn, ChannelName(channel)));
                records.Add(doubleOptIn ? record with { OptIn = OptInMethod.Double, RecordedAt = TruncateToSeconds(now) } : record);
            }
        }

        if (choices.Topics is { } topics)
        {
            foreach (var topic in Options.Topics)
            {
                if (topics.TryGetValue(topic.Name, out var wanted))
                {
                    var scope = ConsentScope.ForTopic(topic.Name);
                    if (wanted != StateOf(customer, scope, now).IsGranted)
                    {
                        records.Add(Record(scope, wanted, now, source, topic.LabelFor(Options.LanguageOf(text))));
                    }
                }
            }
        }

        if (choices.Personalization is { } personalization && personalization != StateOf(customer, ConsentScope.Personalization, now).IsGranted)
        {
            records.Add(Record(ConsentScope.Personalization, personalization, now, source, text.PersonalizationOptIn));
        }

        return records;
    }

    internal string ChannelName(Channel channel)
        => _eligibility.Channels.TryGet(channel, out var definition) ? definition.DisplayName : channel.ToString();

    private ConsentRecord Record(ConsentScope scope, bool grant, DateTimeOffset now, ConsentSource source, string wording) => new()
    {
        Scope = scope,
        Action = grant ? ConsentAction.Grant : ConsentAction.Withdraw,
        RecordedAt = now,
        Source = source,
        Wording = wording,
        WordingVersion = Options.WordingVersion,
    };

    internal ContactPreferences Merge(ContactPreferences current, PreferenceChoices choices, DateTimeOffset now)
    {
        var result = current;
        if (choices.Frequency is { } frequency)
        {
            var caps = new List<FrequencyCap>();
            foreach (var cap in current.FrequencyCaps)
            {
                if (cap.Channel is not { } channel || !frequency.ContainsKey(channel))
                {
                    caps.Add(cap);
                }
            }

            foreach (var channel in Options.Channels)
            {
                if (frequency.TryGetValue(channel, out var chosen) && chosen is { } c)
                {
                    caps.Add(new FrequencyCap { Channel = channel, Max = c.Max, Period = c.Period });
                }
            }

            result = result with { FrequencyCaps = caps };
        }

        if (choices.QuietHoursChosen)
        {
            result = result with { QuietHours = choices.QuietHours };
        }

        if (choices.PreferredDays is { } days)
        {
            result = result with { PreferredDays = days.Distinct().OrderBy(d => ((int)d + 6) % 7).ToList() };
        }

        if (choices.ChannelOrder is { } order)
        {
            var ranking = new List<Channel>(order.Distinct());
            foreach (var channel in current.ChannelRanking)
            {
                if (!ranking.Contains(channel))
                {
                    ranking.Add(channel);
                }
            }

            result = result with { ChannelRanking = ranking };
        }

        if (choices.PauseWeeks is { } weeks)
        {
            result = result with { PausedUntil = weeks == 0 ? null : now.AddDays(7 * weeks) };
        }

        return result;
    }

    private static bool SamePreferences(ContactPreferences a, ContactPreferences b)
        => a.ChannelRanking.SequenceEqual(b.ChannelRanking)
           && a.FrequencyCaps.SequenceEqual(b.FrequencyCaps)
           && a.PreferredDays.SequenceEqual(b.PreferredDays)
           && a.PreferredHours.SequenceEqual(b.PreferredHours)
           && a.QuietHours == b.QuietHours
           && a.PausedUntil == b.PausedUntil;

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset instant) => DateTimeOffset.FromUnixTimeSeconds(instant.ToUnixTimeSeconds());

    private static string WithoutQuery(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}

/// <summary>A recorded double opt-in request.</summary>
/// <param name="ConfirmationUrl">The link to send the customer; it confirms once.</param>
/// <param name="RequestedAt">When the request was recorded (whole seconds, UTC).</param>
/// <param name="ExpiresAt">When the link stops working and the request lapses.</param>
public sealed record DoubleOptInRequest(string ConfirmationUrl, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Gets what became of the confirmation message (<see cref="PreferenceCenter.SendConfirmationAsync"/>): sent, deferred or not sent and why, in <see cref="EventIngestionSummary.Sends"/>.</summary>
    /// <value><see langword="null"/> without <see cref="ConfirmationMessages"/>: the host sends <see cref="ConfirmationUrl"/> itself.</value>
    public EventIngestionSummary? Confirmation { get; init; }
}

internal enum ApplyStatus
{
    Saved,
    NotFound,
    Conflict,
}

internal readonly record struct ApplyResult(ApplyStatus Status, int RecordsWritten, int AwaitingConfirmation = 0);

internal enum ConfirmStatus
{
    Confirmable,
    Confirmed,
    AlreadyConfirmed,
    Expired,
    WithdrawnSince,
    Unknown,
    Conflict,
}
