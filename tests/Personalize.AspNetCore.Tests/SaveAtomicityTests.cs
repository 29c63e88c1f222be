using System.Net;
using System.Reflection;
using Personalize.Consent;
using Personalize.Storage;

namespace Personalize.AspNetCore.Tests;

/// <summary>A save of the preference page writes its consent records and its preference changes in one store transaction.</summary>
public sealed class SaveAtomicityTests
{
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
