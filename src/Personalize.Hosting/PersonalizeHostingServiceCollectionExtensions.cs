using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Personalize;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Events;
using Personalize.Hosting;
using Personalize.Sending;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Personalize from configuration, the hosted worker and the health checks.</summary>
public static class PersonalizeHostingServiceCollectionExtensions
{
    /// <summary>The subsections of the <c>Personalize</c> section, each bound to its options class.</summary>
    private static readonly string[] Sections = ["Decisions", "Delivery", "Sending", "Events", "Occasions", "Worker"];

    /// <summary>The subsections of the <c>Personalize</c> section other packages read (store and sink settings).</summary>
    private static readonly string[] PackageSections = ["Sqlite", "PostgreSql", "Smtp", "Webhook"];

    /// <summary>
    /// Registers Personalize (<c>AddPersonalize</c>, <c>AddPersonalizeDelivery</c>, <c>AddPersonalizeSending</c>) with every
    /// options class bound from <paramref name="configuration"/> (for example <c>configuration.GetSection("Personalize")</c>):
    /// <see cref="PersonalizeOptions"/> from the section itself, <see cref="DecisionOptions"/> from <c>Decisions</c>,
    /// <see cref="DeliveryOptions"/> from <c>Delivery</c>, <see cref="SendingOptions"/> from <c>Sending</c>,
    /// <see cref="EventOptions"/> from <c>Events</c>, <see cref="LikeAFriendOptions"/> from <c>Occasions</c> and
    /// <see cref="PersonalizeWorkerOptions"/> from <c>Worker</c>. All are validated when the host starts: a key the options
    /// do not have and a value they refuse stop the start with a message naming the key (<c>Personalize:Sending: PageSize
    /// is 0; use 1 or more.</c>); a value that does not convert names its key too.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>Personalize</c> section.</param>
    /// <returns>The services.</returns>
    [RequiresUnreferencedCode("Binds options by reflection (ConfigurationBinder).")]
    [RequiresDynamicCode("Binds options by reflection (ConfigurationBinder).")]
    public static IServiceCollection AddPersonalize(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddPersonalize();
        services.AddPersonalizeDelivery(static _ => { });
        services.AddPersonalizeSending();
        var path = configuration is IConfigurationSection section ? section.Path : string.Empty;
        Bind<PersonalizeOptions>(services, configuration, path, static o => o.Validate(), [.. Sections, .. PackageSections]);
        Bind<DecisionOptions>(services, configuration.GetSection("Decisions"), Join(path, "Decisions"), static o => o.Validate());
        Bind<DeliveryOptions>(services, configuration.GetSection("Delivery"), Join(path, "Delivery"), static o => o.Validate());
        Bind<SendingOptions>(services, configuration.GetSection("Sending"), Join(path, "Sending"), static o => o.Validate());
        Bind<EventOptions>(services, configuration.GetSection("Events"), Join(path, "Events"), ValidateEvents);
        Bind<LikeAFriendOptions>(services, configuration.GetSection("Occasions"), Join(path, "Occasions"), ValidateOccasions);
        Bind<PersonalizeWorkerOptions>(services, configuration.GetSection("Worker"), Join(path, "Worker"), static o => o.Validate());
        return services;
    }

    /// <summary>
    /// Registers the hosted <see cref="PersonalizeWorker"/> (due sends and ticks on a schedule, graceful shutdown) with its
    /// <see cref="PersonalizeWorkerStatus"/> and <see cref="PersonalizeWorkerOptions"/> (validated at start). Needs
    /// Personalize registered (<see cref="AddPersonalize(IServiceCollection, IConfiguration)"/> or the <c>Action</c>
    /// overloads), an <c>IPersonalizeStore</c> and an <c>IMessageSink</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the worker's options after configuration is bound.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPersonalizeWorker(this IServiceCollection services, Action<PersonalizeWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<PersonalizeWorkerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        // Bound from configuration, the section's validator checks them and names the keys; otherwise this one.
        if (!services.Any(static d => d.ServiceType == typeof(IValidateOptions<PersonalizeWorkerOptions>)))
        {
            services.AddSingleton<IValidateOptions<PersonalizeWorkerOptions>>(new WorkerOptionsValidator());
        }
        services.TryAddSingleton<PersonalizeWorkerStatus>();
        services.AddOptions<LikeAFriendOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PersonalizeWorker>());
        return services;
    }

    /// <summary>
    /// Adds the health checks <c>personalize-store</c> (the store answers), <c>personalize-sink</c> (the sink answers) and,
    /// when the worker is registered, <c>personalize-worker</c> (its last pass did not fail; degraded when no pass finished
    /// for three intervals), each tagged <c>personalize</c>.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="failureStatus">What a failing check reports.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPersonalize(this IHealthChecksBuilder builder, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] tags = ["personalize"];
        builder.Add(new HealthCheckRegistration("personalize-store", static sp => ActivatorUtilities.CreateInstance<StoreHealthCheck>(sp), failureStatus, tags));
        builder.Add(new HealthCheckRegistration("personalize-sink", static sp => ActivatorUtilities.CreateInstance<SinkHealthCheck>(sp), failureStatus, tags));
        builder.Add(new HealthCheckRegistration("personalize-worker", static sp => ActivatorUtilities.CreateInstance<WorkerHealthCheck>(sp), failureStatus, tags));
        builder.Services.TryAddSingleton<PersonalizeWorkerStatus>();
        return builder;
    }

    [RequiresUnreferencedCode("Binds options by reflection (ConfigurationBinder).")]
    [RequiresDynamicCode("Binds options by reflection (ConfigurationBinder).")]
    private static void Bind<TOptions>(IServiceCollection services, IConfiguration section, string path, Func<TOptions, IReadOnlyList<string>> validate, string[]? otherKeys = null)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();

        // The package's own validator says the same without the key's path: this one replaces it.
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IValidateOptions<TOptions>)
                && (descriptor.ImplementationType?.Assembly == typeof(PersonalizeOptions).Assembly || descriptor.ImplementationInstance is WorkerOptionsValidator))
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section, path, validate, otherKeys ?? []));
    }

    /// <summary>Checks <see cref="PersonalizeWorkerOptions"/> set in code.</summary>
    private sealed class WorkerOptionsValidator : IValidateOptions<PersonalizeWorkerOptions>
    {
        public ValidateOptionsResult Validate(string? name, PersonalizeWorkerOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail("PersonalizeWorkerOptions: " + string.Join(" ", problems));
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    private static IReadOnlyList<string> ValidateEvents(EventOptions options)
    {
        var problems = new List<string>();
        Positive(problems, nameof(EventOptions.BatchSize), options.BatchSize);
        if (options.MaxBatchWait < TimeSpan.Zero && options.MaxBatchWait != Timeout.InfiniteTimeSpan)
        {
            problems.Add($"{nameof(EventOptions.MaxBatchWait)} is {options.MaxBatchWait}; use zero or more, or Timeout.InfiniteTimeSpan.");
        }

        Positive(problems, nameof(EventOptions.MaxIdLength), options.MaxIdLength);
        Positive(problems, nameof(EventOptions.MaxDataBytes), options.MaxDataBytes);
        Positive(problems, nameof(EventOptions.MaxTriggerAge), options.MaxTriggerAge);
        if (options.MaxClockSkew < TimeSpan.Zero)
        {
            problems.Add($"MaxClockSkew is {options.MaxClockSkew}; use zero or more.");
        }

        return problems;
    }

    private static IReadOnlyList<string> ValidateOccasions(LikeAFriendOptions options)
    {
        var problems = new List<string>();
        Positive(problems, nameof(LikeAFriendOptions.GreetWithin), options.GreetWithin);
        Positive(problems, nameof(LikeAFriendOptions.WelcomeWithin), options.WelcomeWithin);
        Positive(problems, nameof(LikeAFriendOptions.WelcomeBackAfter), options.WelcomeBackAfter);
        Positive(problems, nameof(LikeAFriendOptions.MissAfter), options.MissAfter);
        if (options.ThankEveryNthOrder < 0)
        {
            problems.Add($"ThankEveryNthOrder is {options.ThankEveryNthOrder}; use 0 (off) or more.");
        }

        return problems;
    }

    private static void Positive(List<string> problems, string name, int value)
    {
        if (value < 1)
        {
            problems.Add($"{name} is {value}; use 1 or more.");
        }
    }

    private static void Positive(List<string> problems, string name, TimeSpan? value)
    {
        if (value is { } time && time <= TimeSpan.Zero)
        {
            problems.Add($"{name} is {time}; use a positive time.");
        }
    }
}
