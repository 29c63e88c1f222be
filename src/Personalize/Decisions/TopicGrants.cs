using System.Runtime.CompilerServices;
using Personalize.Consent;

namespace Personalize.Decisions;

/// <summary>
/// Whether the customer subscribed to each topic, looked up in the consent ledger once per decision and topic (a
/// catalog repeats a handful of topics across its messages). Lives on the stack for one decision; topics beyond
/// <see cref="Capacity"/> are looked up every time.
/// </summary>
internal struct TopicGrants
{
    /// <summary>The most topics remembered.</summary>
    public const int Capacity = 16;

    private Topics _topics;
    private int _granted;
    private int _count;

    /// <summary>Whether the topic scope is granted in <paramref name="ledger"/>.</summary>
    public bool IsGranted(ConsentLedger ledger, ConsentScope scope)
    {
        var topic = scope.Topic;
        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_topics[i], topic, StringComparison.Ordinal))
            {
                return (_granted & (1 << i)) != 0;
            }
        }

        var granted = ledger.GetState(scope).IsGranted;
        if (_count < Capacity && topic is not null && scope.Kind == ConsentScopeKind.Topic)
        {
            _topics[_count] = topic;
            _granted |= granted ? 1 << _count : 0;
            _count++;
        }

        return granted;
    }

    /// <summary>Inline storage for the topics.</summary>
    [InlineArray(Capacity)]
    private struct Topics
    {
        private string? _element;
    }
}
