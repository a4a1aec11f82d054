//! The canonical income sources every funder is classified into.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where income comes from. `Unclassified` income is still counted, and always reported.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Government,
    Foundation,
    Corporate,
    Community,
    Crowdsourced,
    Earned,
    Other,
    #[default]
    Unclassified,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Government,
        Category::Foundation,
        Category::Corporate,
        Category::Community,
        Category::Crowdsourced,
        Category::Earned,
        Category::Other,
        Category::Unclassified,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Government => "government",
            Category::Foundation => "foundation",
            Category::Corporate => "corporate",
            Category::Community => "community",
            Category::Crowdsourced => "crowdsourced",
            Category::Earned => "earned",
            Category::Other => "other",
            Category::Unclassified => "unclassified",
        }
    }

    /// Parses a canonical name (`"government"`), case-insensitively.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Category> {
        let n = name.trim().to_ascii_lowercase();
        Category::ALL.into_iter().find(|c| c.as_str() == n)
    }

    /// Community and crowdsourced income: money from the people an organisation organises.
    #[must_use]
    pub fn is_community(self) -> bool {
        matches!(self, Category::Community | Category::Crowdsourced)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
