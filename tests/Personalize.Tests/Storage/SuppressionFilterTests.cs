using Personalize.Channels;
using Personalize.Storage;
using Personalize.Storage.Contract;

namespace Personalize.Tests.Storage;

/// <summary>How every store filters a batch by its suppression list: each contact point's salted hash computed once per batch.</summary>
public sealed class SuppressionFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_contact_point_is_hashed_once_per_batch_and_the_filter_decides_by_those_hashes()
    {
        var salt = ContactPointHash.CreateSalt();
        var ada = StoreKit.Send("c-1", "m-1", Now);
        var bob = StoreKit.Send("c-2", "m-1", Now);
        var batch = new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", Deliveries = [ada], ContactPoints = [new(ada.IdempotencyKey, ContactPointKind.Email, "Shared@Example.com"), new(ada.IdempotencyKey, ContactPointKind.Phone, "+64211234567")] },
                new CustomerSends { CustomerId = "c-2", Deliveries = [bob], ContactPoints = [new(bob.IdempotencyKey, ContactPointKind.Email, "shared@example.com"), new(bob.IdempotencyKey, ContactPointKind.Email, " ")] },
            ],
        };
        var listed = ContactPointHash.Compute(salt, ContactPointKind.Email, "shared@example.com");

        var hashes = SuppressionFilter.HashesOf(batch, salt);

        // The same address (in any case) is looked up once; a blank value has no hash.
        Assert.Equal(2, hashes.Distinct.Count);
        Assert.Contains(listed, hashes.Distinct);
        Assert.Null(hashes.Of(1)[1]);

        // The filter asks about exactly the hashes computed for the batch (the same strings: nothing hashed again).
        var asked = new List<string>();
        var first = SuppressionFilter.Apply(batch.Customers[0], hashes.Of(0), h => { asked.Add(h); return h == listed; }, out var keptAda);
        var second = SuppressionFilter.Apply(batch.Customers[1], hashes.Of(1), h => { asked.Add(h); return h == listed; }, out var refusedBob);
        string?[] computed = [.. hashes.Of(0), hashes.Of(1)[0]];
        Assert.Equal(3, asked.Count);
        Assert.All(asked.Zip(computed), pair => Assert.Same(pair.Second, pair.First));

        // Ada's phone is not listed, so her delivery stays; Bob's only checkable address is listed, so his is refused.
        Assert.Empty(keptAda);
        Assert.Equal([ada], first.Deliveries);
        Assert.Equal([bob.IdempotencyKey], refusedBob);
        Assert.Empty(second.Deliveries);
    }
}
