using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Tests.Customers;

public sealed class ContactPointsTests
{
    [Fact]
    public void Has_follows_the_email_and_phone_through_with_expressions()
    {
        var both = new ContactPoints { Email = "a@example.com", Phone = "+4915112345678" };
        var noEmail = both with { Email = null };
        var emptyPhone = both with { Phone = "" };
        var emailAgain = noEmail with { Email = "b@example.com" };

        Assert.True(both.Has(ContactPointKind.Email));
        Assert.True(both.Has(ContactPointKind.Phone));
        Assert.False(noEmail.Has(ContactPointKind.Email));
        Assert.True(noEmail.Has(ContactPointKind.Phone));
        Assert.True(emptyPhone.Has(ContactPointKind.Email));
        Assert.False(emptyPhone.Has(ContactPointKind.Phone));
        Assert.True(emailAgain.Has(ContactPointKind.Email));
        Assert.False(ContactPoints.None.Has(ContactPointKind.Email));
        Assert.True(ContactPoints.None.Has(ContactPointKind.None));
    }

    [Fact]
    public void Points_with_the_same_values_are_equal_however_they_were_built()
    {
        var built = new ContactPoints { Email = "a@example.com" };
        var changed = new ContactPoints { Email = "x@example.com", Phone = "+4915112345678" } with { Email = "a@example.com", Phone = null };

        Assert.Equal(built, changed);
        Assert.Equal(built.GetHashCode(), changed.GetHashCode());
    }
}
