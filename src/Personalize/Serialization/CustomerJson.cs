using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Serialization;

/// <summary>
/// Loads and saves customer profiles (with preferences, consent ledger, history, flags and attributes) as JSON,
/// using System.Text.Json source generation. Reading validates everything and collects every error with its
/// JSON path, line and column (found in one pass over the text, however many errors); a file with any error yields
/// no profiles, never a half-loaded one. Attribute values are limited in size and number
/// (<see cref="MaxAttributeBytes"/>, <see cref="MaxAttributes"/>). Thread-safe.
/// </summary>
/// <remarks>
/// A file is <c>{ "customers": [ … ] }</c>; a single profile is the bare object. The format is in docs/customers.md.
/// </remarks>
public sealed class CustomerJson
{
    private readonly int _maxAttributeBytes = DefaultMaxAttributeBytes;
    private readonly int _maxAttributes = DefaultMaxAttributes;
    private bool _trusted;
    private StoredCustomerReader? _stored;

    // A store's rows are read by machines only: written without indentation (smaller rows, faster reads).
    private static readonly PersonalizeJsonContext Compact = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 64,
    });

    /// <summary>Creates a reader/writer that knows only the built-in channels.</summary>
    public CustomerJson()
        : this(ChannelRegistry.Default)
    {
    }

    /// <summary>Creates a reader/writer that knows the given channels (built-in plus the host's).</summary>
    /// <param name="channels">The registered channels; other channel names are errors.</param>
    public CustomerJson(ChannelRegistry channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        Channels = channels;
    }

    /// <summary>The default of <see cref="MaxAttributeBytes"/>: 64 KiB.</summary>
    public const int DefaultMaxAttributeBytes = 64 * 1024;

    /// <summary>The default of <see cref="MaxAttributes"/>: 500.</summary>
    public const int DefaultMaxAttributes = 500;

    /// <summary>
    /// A reader/writer for a store's own rows (written without indentation): reading keeps only the checks without which no profile can be built
    /// (required fields, channels, time zones, instants, enum values) and skips those that judge the data (email and
    /// phone validity, language tags, attribute limits, unknown properties). The data was judged when it was imported or
    /// saved; judging it again on every read would make customers stored under laxer rules unreadable after a release
    /// tightens a rule. The decision then handles a contact point that is no longer valid (<c>contact_point.invalid</c>).
    /// </summary>
    internal static CustomerJson ForStore(ChannelRegistry channels)
        => new(channels) { MaxAttributeBytes = int.MaxValue, MaxAttributes = int.MaxValue, _trusted = true, _stored = new StoredCustomerReader(channels) };

    /// <summary>The channels this instance accepts.</summary>
    public ChannelRegistry Channels { get; }

    /// <summary>
    /// The largest attribute value accepted, in bytes of its JSON text (default 64 KiB). A larger one is the error
    /// <see cref="CustomerJsonCodes.AttributeTooLarge"/>: profiles are read for every decision and every render, so a
    /// profile that carries documents makes every send slow; keep such data elsewhere and store a reference.
    /// </summary>
    public int MaxAttributeBytes
    {
        get => _maxAttributeBytes;
        init => _maxAttributeBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttributeBytes), value, "The attribute size limit must be positive.");
    }

    /// <summary>The most attributes one customer may have (default 500); more is the error <see cref="CustomerJsonCodes.TooManyAttributes"/>.</summary>
    public int MaxAttributes
    {
        get => _maxAttributes;
        init => _maxAttributes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttributes), value, "The attribute count limit must be positive.");
    }

    /// <summary>Reads a customers file (<c>{ "customers": [ … ] }</c>) without throwing on bad input.</summary>
    /// <param name="utf8Json">The file's UTF-8 bytes.</param>
    /// <param name="customers">The profiles when there are no errors; empty otherwise.</param>
    /// <param name="errors">Every error found; empty on success.</param>
    /// <returns><see langword="true"/> when the file has no errors.</returns>
    public bool TryReadCustomers(ReadOnlySpan<byte> utf8Json, out IReadOnlyList<CustomerProfile> customers, out IReadOnlyList<CustomerJsonError> errors)
    {
        var reader = new CustomerJsonReader(Channels, MaxAttributeBytes, MaxAttributes, _trusted);
        customers = reader.ReadFile(utf8Json);
        errors = reader.ErrorsAt(utf8Json);
        if (errors.Count > 0)
        {
            customers = [];
            return false;
        }

        return true;
    }

    /// <summary>Reads a customers file.</summary>
    /// <param name="utf8Json">The file's UTF-8 bytes.</param>
    /// <returns>The profiles.</returns>
    /// <exception cref="CustomerJsonException">The file has errors; all are listed.</exception>
    public IReadOnlyList<CustomerProfile> ReadCustomers(ReadOnlySpan<byte> utf8Json)
        => TryReadCustomers(utf8Json, out var customers, out var errors) ? customers : throw new CustomerJsonException(errors);

    /// <summary>Reads one profile (a bare JSON object) without throwing on bad input.</summary>
    /// <param name="utf8Json">The UTF-8 bytes.</param>
    /// <param name="customer">The profile when there are no errors.</param>
    /// <param name="errors">Every error found; empty on success.</param>
    /// <returns><see langword="true"/> when there are no errors.</returns>
    public bool TryReadCustomer(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out CustomerProfile? customer, out IReadOnlyList<CustomerJsonError> errors)
        => TryReadStoredCustomer(utf8Json, null, out customer, out errors);

    /// <summary>
    /// Reads a store's profile row with the parts the store keeps beside the JSON (<paramref name="parts"/>: facts,
    /// consent ledger, history), which replace the JSON's own; the profile is built once with them.
    /// </summary>
    internal bool TryReadStoredCustomer(ReadOnlySpan<byte> utf8Json, StoredParts? parts, [NotNullWhen(true)] out CustomerProfile? customer, out IReadOnlyList<CustomerJsonError> errors)
    {
        // A store's own rows: straight into the model; a row that is anything but well formed is read again below, which
        // reports its errors (or reads what the one-pass reader leaves to it).
        if (_stored is not null && _stored.TryRead(utf8Json, parts, out customer))
        {
            errors = [];
            return true;
        }

        var reader = new CustomerJsonReader(Channels, MaxAttributeBytes, MaxAttributes, _trusted);
        customer = reader.ReadSingle(utf8Json);
        errors = reader.ErrorsAt(utf8Json);
        if (errors.Count > 0)
        {
            customer = null;
            return false;
        }

        if (customer is not null && parts is { } stored)
        {
            customer = customer with { Facts = stored.Facts, Consents = stored.Consents, History = stored.History };
        }

        return customer is not null;
    }

    /// <summary>Reads one profile.</summary>
    /// <param name="utf8Json">The UTF-8 bytes.</param>
    /// <returns>The profile.</returns>
    /// <exception cref="CustomerJsonException">The JSON has errors; all are listed.</exception>
    public CustomerProfile ReadCustomer(ReadOnlySpan<byte> utf8Json)
        => TryReadCustomer(utf8Json, out var customer, out var errors) ? customer : throw new CustomerJsonException(errors);

    /// <summary>Writes a customers file.</summary>
    /// <param name="customers">The profiles.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public byte[] WriteCustomers(IEnumerable<CustomerProfile> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var file = new CustomerFileDto { Customers = [] };
        foreach (var customer in customers)
        {
            file.Customers.Add(CustomerJsonWriter.ToDto(customer));
        }

        return JsonSerializer.SerializeToUtf8Bytes(file, PersonalizeJsonContext.Default.CustomerFileDto);
    }

    /// <summary>Writes a customers file to a stream.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="customers">The profiles.</param>
    public void WriteCustomers(Stream stream, IEnumerable<CustomerProfile> customers)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(WriteCustomers(customers));
    }

    /// <summary>Writes one profile as a bare JSON object.</summary>
    /// <param name="customer">The profile.</param>
    /// <returns>The UTF-8 JSON.</returns>
    public byte[] WriteCustomer(CustomerProfile customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return JsonSerializer.SerializeToUtf8Bytes(CustomerJsonWriter.ToDto(customer, forStore: _trusted), _trusted ? Compact.CustomerDto : PersonalizeJsonContext.Default.CustomerDto);
    }
}
