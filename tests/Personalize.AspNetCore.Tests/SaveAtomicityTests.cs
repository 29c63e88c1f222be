using System.Net;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Consent;
using Personalize.Sending;
using Personalize.Storage;

namespace Personalize.AspNetCore.Tests;

/// <summary>
/// A save of the preference page writes its consent records and its preference changes in one store transaction; a
/// double opt-in whose confirmation a crash cut off is completed by the sweep, once.
/// </summary>
public sealed class SaveAtomicityTests
{
    private static readonly ConsentScope EmailMarketing = ConsentScope.ForChannel(Personalize.Channels.Channel.Email, ContactPurpose.Marketing);

    [Fact]
    public async Task A_crash_at_the_saves_write_leaves_neither_the_evidence_nor_the_preferences()
    {
        using var host = new TestHost(wrapStore: store => CrashingStore.Wrap(store, crashAtWrite: 1));

        var status = await SaveAsync(host);
        var ada = (await host.Customer("c-ada")).Profile;

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal(2, ada.Consents.Records.Count); // the two of the seed, nothing of the save
        Assert.Null(ada.Preferences.QuietHours);
    }

    [Fact]
    public async Task A_crash_after_the_saves_write_leaves_both_the_evidence_and_the_preferences()
    {
        // Were the records and the preferences two writes, a crash at the second would keep the first alone.
        using var host = new TestHost(wrapStore: store => CrashingStore.Wrap(store, crashAtWrite: 2));

        var status = await SaveAsync(host);
        var ada = (await host.Customer("c-ada")).Profile;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(ada.Consents.Records, r => r.Scope.Equals(ConsentScope.ForTopic("travel")) && r.Action == ConsentAction.Grant);
        Assert.Equal("22:00–07:30", ada.Preferences.QuietHours.ToString());
    }

    [Fact]
    public async Task A_crash_between_a_double_opt_in_and_its_confirmation_is_completed_by_the_sweep_once()
    {
        // Write 1 records the pending grant, write 2 (the confirmation event and its send) "kills the process".
        CrashingStore? crashing = null;
        using var host = new TestHost(wrapStore: store => (IPersonalizeStore)(crashing = (CrashingStore)(object)CrashingStore.Wrap(store, crashAtWrite: 2)));
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-berta");
        var (_, html, _) = await Page.Get(client, url);
        var (crashed, _, _) = await Page.Post(client, url, Page.FormOf(html).With("optin:email", "on"));
        Assert.Equal(HttpStatusCode.InternalServerError, crashed);
        var pending = (await host.Customer("c-berta")).Profile.Consents.GetState(EmailMarketing, host.Clock.Now);
        Assert.Equal(ConsentStatus.Pending, pending.Status);
        Assert.Equal(0, host.Sink.Count); // the request is recorded, its message is not

        // After the restart the worker's sweep (the registered IPersonalizeSweep) sends it; a second sweep sends nothing.
        host.Clock.Now = TestHost.Start.AddMinutes(10);
        var sweep = Assert.Single(host.Services.GetServices<IPersonalizeSweep>());
        var pagesBefore = crashing!.CustomerPagesRead;
        var first = await sweep.SweepAsync();
        var second = await sweep.SweepAsync();
        var again = await host.Center.SendMissingConfirmationsAsync();

        Assert.Equal((1, 0, 0), (first, second, again));
        Assert.Equal(pagesBefore, crashing.CustomerPagesRead); // the store's pending requests, not a page of every customer
        var message = Assert.Single(host.Sink.Messages);
        Assert.Equal(("confirm-subscription", "berta@example.com"), (message.MessageId, message.Recipient));
        Assert.Equal(host.Center.ConfirmationLink("c-berta", EmailMarketing, pending.Record!.RecordedAt), ConfirmationMessageTests.LinkIn(((Personalize.Channels.Email.EmailContent)message.Content).TextBody));
        Assert.Single((await host.Customer("c-berta")).Profile.History.Records);
    }

    [Fact]
    public async Task The_sweep_leaves_an_expired_or_answered_request_alone()
    {
        using var host = new TestHost(wrapStore: store => CrashingStore.Wrap(store, crashAtWrite: 2));
        await Assert.ThrowsAsync<IOException>(async () => await host.Center.RequestDoubleOptInAsync("c-ada", ConsentScope.ForTopic("recipes"), "Recipes from the garden"));
        await host.Center.RequestDoubleOptInAsync("c-berta", EmailMarketing, "Email: news and offers"); // sent at once

        host.Clock.Now = TestHost.Start.AddDays(8); // Ada's request expired (7 days) before anyone swept
        var swept = await host.Center.SendMissingConfirmationsAsync();

        Assert.Equal(0, swept);
        Assert.Equal("berta@example.com", Assert.Single(host.Sink.Messages).Recipient);
    }

    private static async Task<HttpStatusCode> SaveAsync(TestHost host)
    {
        var client = host.Browser();
        var url = "/preferences?token=" + host.Token("c-ada");
        var (_, html, _) = await Page.Get(client, url);
        var form = Page.FormOf(html).With("topic:travel", "on").With("quiet-start", "22:00").With("quiet-end", "07:30");
        try
        {
            return (await Page.Post(client, url, form)).Status;
        }
        catch (IOException)
        {
            // The test server rethrows the handler's exception: the process "died" at the write.
            return HttpStatusCode.InternalServerError;
        }
    }

    /// <summary>A store whose Nth write (consent append, profile save or record) fails as a crash would: nothing of it is written.</summary>
    public class CrashingStore : DispatchProxy
    {
        private static readonly HashSet<string> Writes = [nameof(IPersonalizeStore.AppendConsentAsync), nameof(IPersonalizeStore.SaveProfileAsync), nameof(IPersonalizeStore.RecordAsync)];
        private IPersonalizeStore _inner = null!;
        private int _crashAt;
        private int _writes;
        private int _customerPages;

        /// <summary>Gets how many pages of customers were read (<see cref="IPersonalizeStore.ReadCustomersAsync"/>).</summary>
        public int CustomerPagesRead => _customerPages;

        public static IPersonalizeStore Wrap(IPersonalizeStore inner, int crashAtWrite)
        {
            var proxy = Create<IPersonalizeStore, CrashingStore>();
            var self = (CrashingStore)(object)proxy;
            self._inner = inner;
            self._crashAt = crashAtWrite;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod is not null && Writes.Contains(targetMethod.Name) && Interlocked.Increment(ref _writes) == _crashAt)
            {
                throw new IOException("killed at write " + _crashAt);
            }

            if (targetMethod?.Name == nameof(IPersonalizeStore.ReadCustomersAsync))
            {
                Interlocked.Increment(ref _customerPages);
            }

            try
            {
                return targetMethod!.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
