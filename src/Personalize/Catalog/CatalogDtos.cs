using System.Text.Json;
using System.Text.Json.Serialization;

// JSON shapes of a catalog file, read by the source-generated context, then validated and mapped with JSON
// paths by CatalogJson. Strings stand for enums, triggers, instants and durations so a bad value becomes a
// precise error instead of a converter exception. Unknown properties land in Extra and are reported.
namespace Personalize.Catalog;

internal sealed class CatalogFileDto
{
    public List<MessageDto?>? Messages { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class MessageDto
{
    public string? Id { get; set; }

    public string? Description { get; set; }

    public string? Purpose { get; set; }

    public string? Kind { get; set; }

    public List<string?>? Topics { get; set; }

    public List<string?>? Stages { get; set; }

    public List<string?>? Triggers { get; set; }

    public string? Condition { get; set; }

    public double? Priority { get; set; }

    public double? Value { get; set; }

    public List<CapDto?>? Caps { get; set; }

    public Dictionary<string, ChannelDto?>? Channels { get; set; }

    public string? WhenBlocked { get; set; }

    public string? ExpiresAt { get; set; }

    public string? MaxDelay { get; set; }

    public bool? StrictTemplates { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class CapDto
{
    public int? Max { get; set; }

    public string? Per { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal sealed class ChannelDto
{
    public string? Template { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CatalogFileDto))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext
{
}
