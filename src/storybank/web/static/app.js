// Runs before the page renders: mark that JavaScript is on, so no-JS fallbacks can hide.
document.documentElement.classList.add("js");
