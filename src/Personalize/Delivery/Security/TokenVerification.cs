namespace Personalize.Delivery.Security;

/// <summary>The result of <see cref="SignedTokenService.Verify"/>: the status and, for genuine tokens, what they carry.</summary>
public readonly record struct TokenVerification
{
    internal TokenVerification(TokenStatus status, string? customerId = null, string? scope = null, DateTimeOffset? expiresAt = null)
    {
        Status = status;
        CustomerId = customerId;
        Scope = scope;
        ExpiresAt = expiresAt;
    }

    /// <summary>Whether the token is valid.</summary>
    public bool IsValid => Status == TokenStatus.Valid && CustomerId is not null;

    /// <summary>The status.</summary>
    public TokenStatus Status { get; }

    /// <summary>The customer id of a genuine token (also when expired or for another scope); otherwise <see langword="null"/>.</summary>
    public string? CustomerId { get; }

    /// <summary>The scope of a genuine token; otherwise <see langword="null"/>.</summary>
    public string? Scope { get; }

    /// <summary>When a genuine token expires; otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; }
}
