using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Decisions;
using Personalize.Samples.Web;
using Personalize.Storage;
using Personalize.Testing;

namespace Personalize.AspNetCore.Tests;

/// <summary>
/// A test that drives Debian's Chromium through Microsoft.Playwright. It skips, naming the command that runs it, when no
/// Chromium is installed: <c>bash .ci/run</c> installs the distribution's <c>chromium</c> package. The browser is never
/// downloaded: Playwright launches the installed one by its path (<c>PERSONALIZE_CHROMIUM</c>, else <c>/usr/bin/chromium</c>).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        // Under .ci/run (PERSONALIZE_REQUIRE_BROWSER=1) a missing browser fails the tests instead of skipping them.
        if (Chromium.Path is null && Environment.GetEnvironmentVariable("PERSONALIZE_REQUIRE_BROWSER") != "1")
        {
            Skip = "Browser test: Chromium is not installed (looked for PERSONALIZE_CHROMIUM and /usr/bin/chromium). Run `bash .ci/run`, which installs Debian's chromium package and runs these tests.";
        }
    }
}

internal static class Chromium
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("PERSONALIZE_CHROMIUM");
        return !string.IsNullOrEmpty(configured) && File.Exists(configured) ? configured
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
            : null;
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        // Never Playwright's own download: the distribution's browser, by its path.
        ExecutablePath = Path,
        Headless = true,
        // Chromium's sandbox refuses to run as root (CI runs as root).
        Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
    });
}

public sealed class BrowserTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = TestHost.Start;
    private readonly ManualClock _clock = new(Start);
    private readonly string _database = Path.Combine(Path.GetTempPath(), "personalize-browser-" + Guid.NewGuid().ToString("N") + ".db");
    private WebApplication? _app;
    private string _address = string.Empty;

    public async Task InitializeAsync()
    {
        if (Chromium.Path is null)
        {
            return;
        }

        // The web sample itself, on a real port, over a real SQLite file; only the clock is the test's.
        _app = SampleWeb.Build(["--urls", "http://127.0.0.1:0", "--db", _database], services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(_clock);
        });
        await _app.Services.GetRequiredService<IPersonalizeStore>().ImportCustomersAsync([TestHost.Ada()]);
        await _app.StartAsync();
        _address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    [BrowserFact]
    public async Task A_customer_changes_topics_quiet_hours_order_and_pauses_and_the_next_decision_follows()
    {
        Assert.True(Chromium.Path is not null, "Chromium is not installed (PERSONALIZE_CHROMIUM or /usr/bin/chromium); .ci/run installs Debian's chromium package.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var token = _app!.Services.GetRequiredService<PreferenceCenter>().Tokens.Create("c-ada", Delivery.Security.TokenScopes.Preferences);

        await page.GotoAsync(_address + "/preferences?token=" + token);
        await page.GetByLabel("Weekly gardening tips").UncheckAsync();
        await page.GetByLabel("Garden travel deals").CheckAsync();
        await page.GetByLabel("No messages from").FillAsync("20:00");
        await page.GetByLabel("until", new() { Exact = true }).FillAsync("07:00");
        await page.GetByLabel("Place of SMS").SelectOptionAsync("1");
        await page.GetByLabel("Place of Email").SelectOptionAsync("2");
        await page.GetByLabel("Pause all news and offers for 2 weeks").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save preferences" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("preferences-saved.png"), FullPage = true });

        var status = await page.GetByRole(AriaRole.Status).InnerTextAsync();
        var customer = (await _app.Services.GetRequiredService<IPersonalizeStore>().GetCustomerAsync("c-ada"))!.Profile;
        Assert.Equal("Your preferences are saved.", status);
        Assert.False(customer.Consents.IsSubscribed("gardening", Start));
        Assert.True(customer.Consents.IsSubscribed("travel", Start));
        Assert.Equal("20:00–07:00", customer.Preferences.QuietHours.ToString());
        Assert.Equal(new[] { Channel.Sms, Channel.Email }, customer.Preferences.ChannelRanking.Take(2));
        Assert.Equal(Start.AddDays(14), customer.Preferences.PausedUntil);

        // The next decisions: marketing is suppressed by the pause; a service message in the new quiet hours is deferred.
        var engine = _app.Services.GetRequiredService<DecisionEngine>();
        var catalog = MessageCatalog.CreateBuilder()
            .Add("travel-deals", m => m.OnSchedule().Topics("travel").Channel(Channel.Email, "t"))
            .Add("order-update", m => m.Service().OnSchedule().Channel(Channel.Email, "t"))
            .Build()
            .Compile(new CatalogValidationOptions { Channels = engine.Eligibility.Channels });
        var evening = new DateTimeOffset(2026, 3, 11, 19, 30, 0, TimeSpan.Zero); // 20:30 in Berlin: quiet now, not by the host's 21:00 default
        var decision = engine.Decide(catalog, customer, Trigger.Tick, evening, DecisionDetail.All);
        Assert.Equal(DecisionCodes.Paused, decision.Candidates.Single(o => o.MessageId == "travel-deals").Code);
        var winner = Assert.Single(decision.Winners);
        Assert.Equal("order-update", winner.MessageId);
        Assert.True(winner.IsDeferred);
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 6, 0, 0, TimeSpan.Zero), winner.SendAt); // 07:00 in Berlin
    }

    [BrowserFact]
    public async Task A_customer_using_only_the_keyboard_consents_to_personalization()
    {
        Assert.True(Chromium.Path is not null, "Chromium is not installed (PERSONALIZE_CHROMIUM or /usr/bin/chromium); .ci/run installs Debian's chromium package.");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var token = _app!.Services.GetRequiredService<PreferenceCenter>().Tokens.Create("c-ada", Delivery.Security.TokenScopes.Preferences);
        await page.GotoAsync(_address + "/preferences?token=" + token);

        await TabTo(page, "personalization");
        await page.Keyboard.PressAsync("Space");
        await TabTo(page, "save");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("preferences-keyboard.png"), FullPage = true });

        var customer = (await _app.Services.GetRequiredService<IPersonalizeStore>().GetCustomerAsync("c-ada"))!.Profile;
        Assert.True(customer.Consents.GetState(ConsentScope.Personalization, Start).IsGranted);
        Assert.True(await page.GetByLabel("Use what I have told you", new() { Exact = false }).IsCheckedAsync());
    }

    /// <summary>Presses Tab until the element with the id (or the submit button, for "save") has the focus; fails after 80 presses.</summary>
    private static async Task TabTo(IPage page, string id)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.type || ''");
            if (focused == id || (id == "save" && focused == "submit"))
            {
                return;
            }
        }

        Assert.Fail("Tab never reached " + id + ".");
    }

    private static string Screenshot(string name)
    {
        var folder = RepoPaths.Combine("artifacts", "browser");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name);
    }
}
