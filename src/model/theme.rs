//! The colour theme the user chose: the system's, or always light, or always dark.

/// A theme choice, as kept in `localStorage["theme"]` (absent = `System`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    /// What is stored (and the `<option>` value); `System` is stored as nothing.
    pub fn key(self) -> &'static str {
        match self {
            ThemeChoice::System => "system",
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "System theme",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    /// Reads a stored value; anything else is the system's theme.
    pub fn parse(stored: Option<&str>) -> ThemeChoice {
        match stored {
            Some("light") => ThemeChoice::Light,
            Some("dark") => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }

    /// The theme drawn (`<html data-theme>`), given whether the system prefers light.
    pub fn resolve(self, system_light: bool) -> &'static str {
        match self {
            ThemeChoice::Light => "light",
            ThemeChoice::Dark => "dark",
            ThemeChoice::System if system_light => "light",
            ThemeChoice::System => "dark",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_choice_wins_over_the_system_and_anything_else_follows_it() {
        assert_eq!(ThemeChoice::parse(Some("light")).resolve(false), "light");
        assert_eq!(ThemeChoice::parse(Some("dark")).resolve(true), "dark");
        assert_eq!(ThemeChoice::parse(None).resolve(true), "light");
        assert_eq!(ThemeChoice::parse(Some("purple")).resolve(false), "dark");
        for c in ThemeChoice::ALL {
            assert_eq!(ThemeChoice::parse(Some(c.key())), c);
        }
    }
}
