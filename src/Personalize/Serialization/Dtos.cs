using System.Text.Json;
using System.Text.Json.Serialization;
using Personalize.Channels;

// JSON shapes: plain property bags read by the source-generated context, then validated and mapped with
// JSON paths by CustomerJsonReader. Strings stand for enums, times and channels so a bad value becomes a
// precise error instead of a converter exception. Unknown properties land in Extra and are reported.
namespace Personalize.Serialization;

internal sealed class CustomerFileDto
{
    public List<CustomerDto?>? Customers { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class CustomerDto
{
    public string? Id { get; set; }

    public string? Stage { get; set; }

    public bool? StagePinned { get; set; }

    public string? Language { get; set; }

    public string? TimeZone { get; set; }

    public ContactPointsDto? ContactPoints { get; set; }

    public PreferencesDto? Preferences { get; set; }

    public List<ConsentDto?>? Consents { get; set; }

    public List<ContactDto?>? History { get; set; }

    public ServiceFlagsDto? ServiceFlags { get; set; }

    [JsonConverter(typeof(AttributesConverter))]
    public Dictionary<string, JsonElement>? Attributes { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ContactPointsDto
{
    public string? Email { get; set; }

    public string? Phone { get; set; }

    /// <summary>The phone's verdict a store keeps beside it (ADR 0081); written only into a store's rows, an unknown property elsewhere.</summary>
    public string? PhoneVerdict { get; set; }

    public PostalAddressDto? PostalAddress { get; set; }

    public List<string?>? DeviceTokens { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class PostalAddressDto
{
    public List<string?>? Lines { get; set; }

    public string? PostalCode { get; set; }

    public string? City { get; set; }

    public string? Region { get; set; }

    public string? Country { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class PreferencesDto
{
    public List<string?>? ChannelRanking { get; set; }

    public List<FrequencyCapDto?>? FrequencyCaps { get; set; }

    public List<string?>? PreferredDays { get; set; }

    public List<WindowDto?>? PreferredHours { get; set; }

    public WindowDto? QuietHours { get; set; }

    public string? PausedUntil { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class FrequencyCapDto
{
    public string? Channel { get; set; }

    public int? Max { get; set; }

    public string? Per { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class WindowDto
{
    public string? Start { get; set; }

    public string? End { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ConsentDto
{
    public string? Channel { get; set; }

    public string? Purpose { get; set; }

    public string? Topic { get; set; }

    public bool? Personalization { get; set; }

    public string? Action { get; set; }

    public string? At { get; set; }

    public SourceDto? Source { get; set; }

    public string? Wording { get; set; }

    public string? WordingVersion { get; set; }

    public string? OptIn { get; set; }

    public string? ConfirmedAt { get; set; }

    public string? MethodEvidence { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class SourceDto
{
    public string? Kind { get; set; }

    public string? Detail { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ContactDto
{
    public string? MessageId { get; set; }

    public string? Channel { get; set; }

    public string? Purpose { get; set; }

    public string? Kind { get; set; }

    public string? SentAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ServiceFlagsDto
{
    public bool? OpenComplaint { get; set; }

    public bool? FailedPayment { get; set; }

    public int? NpsScore { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    MaxDepth = 64)]
[JsonSerializable(typeof(CustomerFileDto))]
[JsonSerializable(typeof(CustomerDto))]
internal sealed partial class PersonalizeJsonContext : JsonSerializerContext
{
}

/// <summary>
/// Reads the attributes object as one JSON value whose members share it (one document per customer instead of one
/// per attribute, as the default converter makes); writes the members as they are.
/// </summary>
internal sealed class AttributesConverter : JsonConverter<Dictionary<string, JsonElement>>
{
    public override Dictionary<string, JsonElement>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException();
        }

        var root = JsonElement.ParseValue(ref reader);
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            attributes[property.Name] = property.Value; // a repeated name: the last one wins, as before
        }

        return attributes;
    }

    public override void Write(Utf8JsonWriter writer, Dictionary<string, JsonElement> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, element) in value)
        {
            writer.WritePropertyName(name);
            element.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
