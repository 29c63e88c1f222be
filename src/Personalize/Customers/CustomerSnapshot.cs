using System.Collections;
using System.Runtime.InteropServices;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Timing;

namespace Personalize.Customers;

/// <summary>
/// A compact in-memory copy of a customer base for deciding it again and again (<see cref="Decisions.DecisionEngine.DecideMany(Catalog.CompiledCatalog, IReadOnlyList{CustomerProfile}, Catalog.Trigger, DateTimeOffset, int?)"/>
/// over the same customers at many instants or for many triggers): every profile copied once, with the same values,
/// so that a decision reads fewer cache lines per customer than in a base built or loaded object by object (ADR 0080).
/// </summary>
/// <remarks>
/// <para>What the copy changes (values never): each customer's objects a decision reads (profile, contact points,
/// consent lookups, the history's indexes, attributes) are allocated one after the other; preferences that are equal
/// (ranking, caps, preferred and quiet times, pause) are one shared instance, as are equal scalar attribute values
/// (numbers, short texts, booleans); attributes with the same names share one table of names; the contact points'
/// validity is judged once, here, instead of on a decision's first read of the addresses. A decision over the
/// snapshot gives the same decision, JSON and explanation as over the profiles it was made from.</para>
/// <para>The customers are copies: <see cref="Decisions.Decision.Customer"/> is the snapshot's profile, equal in every
/// value to the original but not the same object (and, since sub-objects are copies, not <see cref="object.Equals(object)"/> to it).</para>
/// <para>Profiles are immutable, so a snapshot never goes stale by itself: when a customer changes (a new profile after
/// an event, a consent, a send), give the new profile to <see cref="Update"/> (one customer's copy is made again) or
/// make a new snapshot. <see cref="Update"/> is safe while another thread decides over the snapshot (that decision sees
/// the old or the new profile of that customer, each whole), but not concurrently with another <see cref="Update"/>.</para>
/// </remarks>
public sealed class CustomerSnapshot : IReadOnlyList<CustomerProfile>
{
    /// <summary>The longest text (in UTF-8 bytes of its JSON) shared between customers who have the same value.</summary>
    private const int MaxSharedText = 64;

    private readonly CustomerProfile[] _customers;
    private readonly Dictionary<PreferencesKey, ContactPreferences> _preferences = new();
    private readonly Dictionary<(JsonValueKind Kind, string Raw), JsonElement> _values = new();
    private readonly Dictionary<NamesKey, AttributeShape> _shapes = new();

    private CustomerSnapshot(CustomerProfile[] customers)
    {
        _customers = customers;
    }

    /// <summary>Makes the snapshot of <paramref name="customers"/>, in their order.</summary>
    /// <param name="customers">The customers.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="ArgumentException">A customer is <see langword="null"/> (the message names its index).</exception>
    public static CustomerSnapshot Create(IEnumerable<CustomerProfile> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var source = customers as IReadOnlyList<CustomerProfile> ?? [.. customers];
        var snapshot = new CustomerSnapshot(new CustomerProfile[source.Count]);
        for (var i = 0; i < source.Count; i++)
        {
            snapshot._customers[i] = snapshot.Copy(source[i] ?? throw new ArgumentException($"customers[{i}] is null; pass only customers.", nameof(customers)));
        }

        return snapshot;
    }

    /// <summary>The number of customers.</summary>
    public int Count => _customers.Length;

    /// <summary>The snapshot's copy of the customer at <paramref name="index"/>.</summary>
    /// <param name="index">The position, as given to <see cref="Create"/>.</param>
    public CustomerProfile this[int index] => _customers[index];

    /// <summary>The customers as the batch loop reads them (the snapshot's own array: never handed to callers).</summary>
    internal CustomerProfile[] Array => _customers;

    /// <summary>Replaces the customer at <paramref name="index"/> with a copy of <paramref name="customer"/> (the customer's profile changed).</summary>
    /// <param name="index">The position.</param>
    /// <param name="customer">The customer's current profile.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the snapshot.</exception>
    public void Update(int index, CustomerProfile customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _customers.Length);
        Volatile.Write(ref _customers[index], Copy(customer));
    }

    /// <inheritdoc/>
    public IEnumerator<CustomerProfile> GetEnumerator() => ((IEnumerable<CustomerProfile>)_customers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One customer's compact copy: shared parts first (found or added), then the customer's own, allocated together.</summary>
    private CustomerProfile Copy(CustomerProfile customer)
    {
        var preferences = Shared(customer.Preferences);
        var attributes = Attributes(customer.Attributes);
        var points = customer.ContactPoints;
        if (!ReferenceEquals(points, ContactPoints.None))
        {
            points = points with { DeviceTokens = points.DeviceTokens.Count == 0 ? System.Array.Empty<string>() : points.DeviceTokens.ToArray() };
            // Judged now (each is cached in the object): a decision then reads the bits, not the addresses.
            _ = points.Has(ContactPointKind.Email);
            _ = points.Has(ContactPointKind.Phone);
            _ = points.Has(ContactPointKind.MobilePhone);
        }

        var consents = customer.Consents.Records.Count == 0 ? ConsentLedger.Empty : ConsentLedger.Indexed(customer.Consents.Records.ToArray());
        var history = customer.History.Count == 0 ? ContactHistory.Empty : ContactHistory.FromSorted(customer.History.Span.ToArray());
        return customer with
        {
            ContactPoints = points,
            Preferences = preferences,
            Consents = consents,
            History = history,
            Attributes = attributes,
        };
    }

    /// <summary>Preferences equal in every value share one instance (arrays of their own, never the caller's lists).</summary>
    private ContactPreferences Shared(ContactPreferences preferences)
    {
        if (ReferenceEquals(preferences, ContactPreferences.Default))
        {
            return preferences;
        }

        var key = new PreferencesKey(preferences);
        if (!_preferences.TryGetValue(key, out var shared))
        {
            shared = preferences with
            {
                // Arrays (not collection expressions, which make a read-only list type for these properties): the
                // engine reads arrays and lists as spans, and copies any other list per decision.
                ChannelRanking = preferences.ChannelRanking.ToArray(),
                FrequencyCaps = preferences.FrequencyCaps.ToArray(),
                PreferredDays = preferences.PreferredDays.ToArray(),
                PreferredHours = preferences.PreferredHours.ToArray(),
            };
            _preferences.Add(new PreferencesKey(shared), shared);
        }

        return shared;
    }

    /// <summary>
    /// The attributes as names shared by every customer with the same names in the same order, and values, equal
    /// scalars shared. Only an ordinal dictionary (or one read from a store) is converted: a dictionary with another
    /// key comparer finds other keys, so it stays as it is.
    /// </summary>
    private IReadOnlyDictionary<string, JsonElement> Attributes(IReadOnlyDictionary<string, JsonElement> attributes)
    {
        if (attributes.Count == 0 || !(attributes is StoredAttributes || (attributes is Dictionary<string, JsonElement> dictionary && IsOrdinal(dictionary.Comparer))))
        {
            return attributes;
        }

        var names = new string[attributes.Count];
        var values = new JsonElement[attributes.Count];
        var n = 0;
        foreach (var (name, value) in attributes)
        {
            names[n] = name;
            values[n] = SharedValue(value);
            n++;
        }

        var key = new NamesKey(names);
        if (!_shapes.TryGetValue(key, out var shape))
        {
            shape = AttributeShape.TryCreate(names);
            if (shape is null)
            {
                return attributes;
            }

            _shapes.Add(key, shape);
        }

        return new StoredAttributes(shape, values);
    }

    private static bool IsOrdinal(IEqualityComparer<string> comparer)
        => ReferenceEquals(comparer, EqualityComparer<string>.Default) || ReferenceEquals(comparer, StringComparer.Ordinal);

    /// <summary>A scalar (number, short text, true, false, null) shared with every customer who has the same JSON for it; anything else as it is.</summary>
    private JsonElement SharedValue(JsonElement value)
    {
        var kind = value.ValueKind;
        if (kind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Undefined)
        {
            return value;
        }

        var raw = value.GetRawText();
        if (raw.Length > MaxSharedText)
        {
            return value;
        }

        var key = (kind, raw);
        if (!_values.TryGetValue(key, out var shared))
        {
            using var document = JsonDocument.Parse(raw);
            shared = document.RootElement.Clone();
            _values.Add(key, shared);
        }

        return shared;
    }

    /// <summary>Attribute names in order, compared by value.</summary>
    private readonly struct NamesKey(string[] names) : IEquatable<NamesKey>
    {
        private readonly string[] _names = names;

        public bool Equals(NamesKey other) => _names.AsSpan().SequenceEqual(other._names);

        public override bool Equals(object? obj) => obj is NamesKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var name in _names)
            {
                hash.Add(name, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>Preferences compared by their values (lists element by element).</summary>
    private readonly struct PreferencesKey(ContactPreferences preferences) : IEquatable<PreferencesKey>
    {
        private readonly ContactPreferences _preferences = preferences;

        public bool Equals(PreferencesKey other)
        {
            var a = _preferences;
            var b = other._preferences;
            return a.QuietHours == b.QuietHours
                && a.PausedUntil == b.PausedUntil
                && Same(a.ChannelRanking, b.ChannelRanking)
                && Same(a.FrequencyCaps, b.FrequencyCaps)
                && Same(a.PreferredDays, b.PreferredDays)
                && Same(a.PreferredHours, b.PreferredHours);
        }

        public override bool Equals(object? obj) => obj is PreferencesKey other && Equals(other);

        public override int GetHashCode()
        {
            var p = _preferences;
            var hash = default(HashCode);
            hash.Add(p.QuietHours);
            hash.Add(p.PausedUntil);
            foreach (var channel in p.ChannelRanking)
            {
                hash.Add(channel);
            }

            hash.Add(p.FrequencyCaps.Count);
            foreach (var cap in p.FrequencyCaps)
            {
                hash.Add(cap);
            }

            hash.Add(p.PreferredDays.Count);
            foreach (var day in p.PreferredDays)
            {
                hash.Add(day);
            }

            foreach (var window in p.PreferredHours)
            {
                hash.Add(window);
            }

            return hash.ToHashCode();
        }

        private static bool Same<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
        {
            if (a.Count != b.Count)
            {
                return false;
            }

            var comparer = EqualityComparer<T>.Default;
            for (var i = 0; i < a.Count; i++)
            {
                if (!comparer.Equals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
