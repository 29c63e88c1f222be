namespace Personalize.Customers;

/// <summary><c>customer.preferences.*</c>: <c>channels</c> (the customer's ranking, by name).</summary>
internal sealed class PreferencesModel
{
    private readonly ContactPreferences _preferences;

    public PreferencesModel(ContactPreferences preferences) => _preferences = preferences;

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
