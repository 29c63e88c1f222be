using System.Net;
using Personalize.Consent;

namespace Personalize.AspNetCore.Tests;

public sealed class DoubleOptInTests
{
    private static readonly ConsentScope Recipes = ConsentScope.ForTopic("recipes");

    [Fact]
    public async Task The_link_asks_on_get_confirms_on_post_and_works_once()
    {
        using var host = new TestHost();
        var request = (await host.Center.RequestDoubleOptInAsync("c-ada", Recipes, "Recipes from the garden"))!;
        var url = new Uri(request.ConfirmationUrl).PathAndQuery;
        var client = host.Browser();
        var pending = (await host.Customer("c-ada")).Profile.Consents.GetState(Recipes, TestHost.Start).Status;

        var (askStatus, ask, _) = await Page.Get(client, url);
        var afterGet = (await host.Customer("c-ada")).Profile.Consents.GetState(Recipes, TestHost.Start).Status;
        host.Clock.Now = TestHost.Start.AddHours(2);
        var (status, done, _) = await Page.Post(client, url, [new("__RequestVerificationToken", Page.AntiforgeryToken(ask))]);
        var (againStatus, again, againError) = await Page.Post(client, url, [new("__RequestVerificationToken", Page.AntiforgeryToken(ask))]);
        var consents = (await host.Customer("c-ada")).Profile.Consents;

        Assert.Equal(ConsentStatus.Pending, pending);
        Assert.Equal(HttpStatusCode.OK, askStatus);
        Assert.Equal(ConsentStatus.Pending, afterGet); // a mail scanner's GET confirms nothing
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("is confirmed", done, StringComparison.Ordinal);
        Assert.Equal(ConsentStatus.Granted, consents.GetState(Recipes, host.Clock.Now).Status);
        Assert.Equal(TestHost.Start.AddHours(2), consents.GetState(Recipes, host.Clock.Now).Record!.ConfirmedAt);
        Assert.Equal((HttpStatusCode.Forbidden, PreferenceCenterCodes.TokenUsed), (againStatus, againError)); // single use: the plain 403 page
        Assert.Contains("The link is not valid or has expired.", again, StringComparison.Ordinal);
        Assert.Equal(2, consents.Records.Count(r => r.Scope.Equals(Recipes))); // the request and one confirmation
    }

    [Fact]
    public async Task A_confirmation_after_a_later_withdrawal_does_not_resubscribe()
    {
        using var host = new TestHost();
        var request = (await host.Center.RequestDoubleOptInAsync("c-ada", Recipes, "Recipes from the garden"))!;
        host.Clock.Now = TestHost.Start.AddHours(1);
        await host.Store.AppendConsentAsync("c-ada", [ConsentRecord.Withdraw(Recipes, host.Clock.Now, ConsentSource.Form("our preference center"))]);
        host.Clock.Now = TestHost.Start.AddHours(2);
        var client = host.Browser();
        var url = new Uri(request.ConfirmationUrl).PathAndQuery;

        var (status, _, error) = await Page.Get(client, url);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(PreferenceCenterCodes.ConfirmationWithdrawn, error);
        Assert.Equal(ConsentStatus.Withdrawn, (await host.Customer("c-ada")).Profile.Consents.GetState(Recipes, host.Clock.Now).Status);
    }

    [Fact]
    public async Task A_pending_opt_in_expires_with_its_link()
    {
        using var host = new TestHost();
        var request = (await host.Center.RequestDoubleOptInAsync("c-ada", Recipes, "Recipes from the garden"))!;
        host.Clock.Now = TestHost.Start.AddDays(7).AddMinutes(1);

        var (status, _, error) = await Page.Get(host.Browser(), new Uri(request.ConfirmationUrl).PathAndQuery);

        Assert.Equal(TestHost.Start.AddDays(7), request.ExpiresAt);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(PreferenceCenterCodes.TokenExpired, error);
        Assert.Equal(ConsentStatus.None, (await host.Customer("c-ada")).Profile.Consents.GetState(Recipes, host.Clock.Now).Status);
    }
}
