using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalize.Channels;
using Personalize.Eligibility;
using Personalize.Serialization;
using Personalize.Timing;

namespace Personalize.Tests.DependencyInjection;

public sealed class AddPersonalizeTests
{
    [Fact]
    public void Registers_the_services_with_the_system_clock_by_default()
    {
        using var provider = new ServiceCollection().AddPersonalize().BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<ContactEligibility>());
        Assert.NotNull(provider.GetRequiredService<CustomerJson>());
        Assert.Equal(6, provider.GetRequiredService<ChannelRegistry>().All.Count);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Options_reach_the_services()
    {
        using var provider = new ServiceCollection()
            .AddPersonalize(o =>
            {
                o.AddChannel("whatsapp", ContactPointKind.Phone, "WhatsApp");
                o.DefaultQuietHours = new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0));
            })
            .BuildServiceProvider();

        var eligibility = provider.GetRequiredService<ContactEligibility>();
        Assert.True(eligibility.Channels.Contains(new Channel("whatsapp")));
        Assert.True(provider.GetRequiredService<CustomerJson>().Channels.Contains(new Channel("whatsapp")));
        Assert.Equal(new TimeWindow(new TimeOnly(21, 0), new TimeOnly(8, 0)), eligibility.DefaultQuietHours);
    }

    [Fact]
    public void Host_time_provider_wins()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        using var provider = services.AddPersonalize().BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Host_registrations_win_and_calling_twice_is_harmless()
    {
        var mine = new ContactEligibility(new PersonalizeOptions(), TimeProvider.System);
        var services = new ServiceCollection();
        services.AddSingleton(mine);
        services.AddPersonalize(o => o.AddChannel("whatsapp", ContactPointKind.Phone));
        services.AddPersonalize(o => o.AddChannel("whatsapp", ContactPointKind.Phone));

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ContactEligibility>());
        Assert.Single(services, d => d.ServiceType == typeof(ContactEligibility));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        Assert.Single(provider.GetServices<IValidateOptions<PersonalizeOptions>>());
        Assert.Equal(7, provider.GetRequiredService<ChannelRegistry>().All.Count);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void Invalid_options_fail_at_start_with_one_combined_message()
    {
        using var provider = new ServiceCollection()
            .AddPersonalize(o =>
            {
                o.AddChannel("email", ContactPointKind.Email);
                o.AddChannel("no/slash", ContactPointKind.Phone);
                o.ConsentRequirements[ContactPurpose.Service] = (ConsentRequirement)42;
            })
            .BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(ex.Failures);
        Assert.StartsWith("Personalize options are invalid: ", failure, StringComparison.Ordinal);
        Assert.Contains("'email' repeats the built-in channel", failure, StringComparison.Ordinal);
        Assert.Contains("'no/slash'", failure, StringComparison.Ordinal);
        Assert.Contains("ConsentRequirements[Service] is 42", failure, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ContactEligibility>());
    }

    [Fact]
    public void Guards_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddPersonalize());
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddPersonalize(null!));
    }

    [Fact]
    public void Option_defaults_are_documented_values()
    {
        var options = new PersonalizeOptions();

        Assert.Equal(ConsentRequirement.OptIn, options.ConsentRequirements[ContactPurpose.Marketing]);
        Assert.Equal(ConsentRequirement.NotWithdrawn, options.ConsentRequirements[ContactPurpose.Service]);
        Assert.Equal(ConsentRequirement.OptIn, options.ConsentRequirements[ContactPurpose.Relationship]);
        Assert.Null(options.DefaultQuietHours);
        Assert.False(options.PreferredTimesApplyToService);
        Assert.Empty(options.HostChannelNames);
        Assert.Empty(options.Validate());
    }
}
