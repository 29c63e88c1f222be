using System.Text.Json;
using System.Text.Json.Serialization;
using Personalize.Channels;

namespace Personalize.Decisions;

/// <summary>Serializes decisions with a source-generated context.</summary>
internal static class DecisionJson
{
    public static string Serialize(Decision decision)
    {
        var dto = new DecisionDto
        {
            CustomerId = decision.CustomerId,
            Trigger = decision.Trigger.ToString(),
            At = decision.At,
            Winners = decision.Winners.Select(static w => new WinnerDto
            {
                MessageId = w.MessageId,
                Channel = w.Channel.ToString(),
                Template = w.Template,
                SendAt = w.SendAt,
                Deferred = w.IsDeferred,
                Score = w.Score,
            }).ToList(),
            Candidates = decision.Candidates.Select(static c => new CandidateDto
            {
                MessageId = c.MessageId,
                Status = c.Status switch
                {
                    CandidateStatus.Selected => "selected",
                    CandidateStatus.Lost => "lost",
                    _ => "suppressed",
                },
                Code = c.Code,
                Rule = c.Rule,
                Reason = c.Reason,
                Channel = c.Channel?.ToString(),
                SendAt = c.SendAt,
                Deferred = c.IsDeferred,
                Priority = c.Priority,
                Relevance = c.Relevance,
                Value = c.Value,
                TierWeight = c.TierWeight == 1 ? null : c.TierWeight,
                Score = c.Score,
                Channels = c.Channels.Count == 0 ? null : c.Channels.Select(static ch => new ChannelOutcomeDto
                {
                    Channel = ch.Channel.ToString(),
                    Status = ch.Status switch
                    {
                        ChannelStatus.Allowed => "allowed",
                        ChannelStatus.Deferred => "deferred",
                        _ => "blocked",
                    },
                    Code = ch.Code,
                    Reason = ch.Reason,
                    SendAt = ch.SendAt,
                }).ToList(),
            }).ToList(),
        };
        return JsonSerializer.Serialize(dto, DecisionJsonContext.Default.DecisionDto);
    }
}

internal sealed class DecisionDto
{
    public required string CustomerId { get; init; }

    public required string Trigger { get; init; }

    public DateTimeOffset At { get; init; }

    public required List<WinnerDto> Winners { get; init; }

    public required List<CandidateDto> Candidates { get; init; }
}

internal sealed class WinnerDto
{
    public required string MessageId { get; init; }

    public required string Channel { get; init; }

    public required string Template { get; init; }

    public DateTimeOffset SendAt { get; init; }

    public bool Deferred { get; init; }

    public double Score { get; init; }
}

internal sealed class CandidateDto
{
    public required string MessageId { get; init; }

    public required string Status { get; init; }

    public required string Code { get; init; }

    public required string Rule { get; init; }

    public required string Reason { get; init; }

    public string? Channel { get; init; }

    public DateTimeOffset? SendAt { get; init; }

    public bool Deferred { get; init; }

    public double Priority { get; init; }

    public double Relevance { get; init; }

    public double Value { get; init; }

    public double? TierWeight { get; init; }

    public double Score { get; init; }

    public List<ChannelOutcomeDto>? Channels { get; init; }
}

internal sealed class ChannelOutcomeDto
{
    public required string Channel { get; init; }

    public required string Status { get; init; }

    public required string Code { get; init; }

    public required string Reason { get; init; }

    public DateTimeOffset? SendAt { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DecisionDto))]
internal sealed partial class DecisionJsonContext : JsonSerializerContext
{
}
