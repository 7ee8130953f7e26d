//! Deterministic ids and names: a splitmix64 generator whose state lives in `EngineState`, so a
//! restored engine draws the same ids as one that never stopped.

/// Kubernetes' "safe" alphabet for generated name suffixes (no vowels, no look-alikes).
const K8S_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const ID_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Seed used by `Engine::new`; tests are reproducible run after run.
pub const DEFAULT_SEED: u64 = 0x0005_eed0_f0ce_44cd;

pub fn next_u64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick(state: &mut u64, alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[(next_u64(state) % alphabet.len() as u64) as usize] as char)
        .collect()
}

/// `rol-` + 8 lowercase alphanumerics.
pub fn rollout_id(state: &mut u64) -> String {
    format!("rol-{}", pick(state, ID_ALPHABET, 8))
}

/// The 5-character suffix of a pod name.
pub fn pod_suffix(state: &mut u64) -> String {
    pick(state, K8S_ALPHABET, 5)
}

pub fn below(state: &mut u64, n: usize) -> usize {
    (next_u64(state) % n.max(1) as u64) as usize
}

/// FNV-1a, stable across runs and platforms.
pub fn fnv64(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// A pod-template-hash like Kubernetes': 9 or 10 characters of the safe alphabet.
pub fn template_hash(template: &str) -> String {
    let mut h = fnv64(template);
    let len = 9 + (h % 2) as usize;
    pick(&mut h, K8S_ALPHABET, len)
}

/// A fixed set of node names per cluster, shaped like the cloud's.
pub fn node_names(cluster_id: &str, cloud: &str) -> Vec<String> {
    let mut h = fnv64(cluster_id);
    (0..4)
        .map(|_| {
            let a = next_u64(&mut h) % 4;
            let b = 2 + next_u64(&mut h) % 250;
            let c = 2 + next_u64(&mut h) % 250;
            match cloud.to_ascii_lowercase().as_str() {
                "gcp" => format!(
                    "gke-{}-default-pool-{}-{}",
                    cluster_id,
                    pick(&mut h, b"0123456789abcdef", 8),
                    pick(&mut h, b"abcdefghijklmnopqrstuvwxyz0123456789", 4)
                ),
                "azure" => format!("aks-nodepool1-{}-vmss00000{}", 10_000_000 + b * c, a),
                _ => format!("ip-10-0-{}-{}.ec2.internal", a * 16 + b % 16, c),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_shaped_and_reproducible() {
        let mut a = DEFAULT_SEED;
        let mut b = DEFAULT_SEED;
        let id = rollout_id(&mut a);
        assert_eq!(id, rollout_id(&mut b));
        assert!(id.starts_with("rol-") && id.len() == 12);
        assert!(id[4..]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert!(template_hash("x").len() >= 9);
        assert!(node_names("prod", "AWS")[0].ends_with(".ec2.internal"));
    }
}
