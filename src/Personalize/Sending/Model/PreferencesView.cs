using Personalize.Customers;

namespace Personalize.Sending.Model;

/// <summary><c>customer.preferences.*</c>: <c>channels</c> (the customer's ranking, by name).</summary>
internal sealed class PreferencesView
{
    private readonly ContactPreferences _preferences;

    public PreferencesView(ContactPreferences preferences) => _preferences = preferences;

    public IReadOnlyList<string> Channels
    {
        get
        {
            var names = new string[_preferences.ChannelRanking.Count];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = _preferences.ChannelRanking[i].Name ?? string.Empty;
            }

            return names;
        }
    }
}
