// The "from script" example of embed.html (a file, since the page's policy allows no inline script).
const view = document.querySelector("#from-script");
view.data = [{ city: "Oslo", people: 709000 }, { city: "Bergen", people: 291000 }, { city: "Trondheim", people: 212000 }];
view.chart = { type: "bar", x: "city", y: "people" };
view.addEventListener("loupe-select", (event) => {
  document.querySelector("#chosen").textContent = `You chose ${event.detail.value}.`;
});
