using BenchmarkDotNet.Attributes;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Serialization;
using Personalize.Timing;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// The store's one-pass profile reader (<c>StoredCustomerReader</c>, ADR 0042) on one row as a store holds it: the
/// closed loop's spring-sale customer (9 attributes, one an array of six recommendations) with every preference list filled (channel
/// ranking, frequency caps, preferred days and hours), so each array reader runs. Per call = per customer read.
/// </summary>
[MemoryDiagnoser]
public class StoredProfileReadBenchmarks
{
    private CustomerJson _reader = null!;
    private byte[] _row = [];

    [GlobalSetup]
    public void Setup()
    {
        var scenario = new SendingScenario();
        var customer = scenario.Pool[0] with
        {
            Preferences = new ContactPreferences
            {
                ChannelRanking = [Channel.Email, Channel.Sms, Channel.Push],
                FrequencyCaps = [new FrequencyCap { Channel = Channel.Email, Max = 3, Period = CapPeriod.Week }, new FrequencyCap { Max = 1, Period = CapPeriod.Day }],
                PreferredDays = [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Saturday],
                PreferredHours = [new TimeWindow(new TimeOnly(8, 0), new TimeOnly(10, 0)), new TimeWindow(new TimeOnly(18, 0), new TimeOnly(21, 0))],
            },
        };
        _reader = CustomerJson.ForStore(scenario.Catalog.Channels);
        _row = new CustomerJson(scenario.Catalog.Channels).WriteCustomer(customer);
        if (!_reader.TryReadCustomer(_row, out var read, out _) || read.Preferences.PreferredHours.Count != 2)
        {
            throw new InvalidOperationException("The stored profile did not read back.");
        }
    }

    [Benchmark(Description = "read one stored profile (all preference lists, 9 attributes)")]
    public CustomerProfile Read() => _reader.TryReadCustomer(_row, out var customer, out _) ? customer : throw new InvalidOperationException();
}
