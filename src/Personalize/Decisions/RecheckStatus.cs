namespace Personalize.Decisions;

/// <summary>What a re-check of a deferred send at its due instant says.</summary>
public enum RecheckStatus
{
    /// <summary>It may go now.</summary>
    Allowed = 0,

    /// <summary>Not now, but later (quiet hours again, a cap still full): <see cref="RecheckResult.SendAt"/> says when.</summary>
    Deferred = 1,

    /// <summary>It must not go: <see cref="RecheckResult.Code"/> says why.</summary>
    Blocked = 2,
}
